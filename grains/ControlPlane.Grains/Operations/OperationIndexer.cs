using System.Collections.Concurrent;
using System.Threading.Channels;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// Carries each stored change of an operation to its tenant's index and to its platform-wide shard
/// (<see cref="OperationIndex"/>), in batches every <see cref="OperationOptions.IndexFlushPeriod"/>: an operation's own
/// call path gains no grain call and no write (<c>CreateCostTests</c>), and one flush makes one call per index touched,
/// however many operations changed. A batch that fails is tried again with the next flush, once. Idle, it sleeps: a
/// flush is due only once something was noted.
/// </summary>
public sealed partial class OperationIndexer(IGrainFactory grains, IOptions<OperationOptions> options, ILogger<OperationIndexer> logger)
    : BackgroundService
{
    private ConcurrentDictionary<string, OperationInfo> _pending = new(StringComparer.Ordinal);
    private Dictionary<string, OperationInfo> _retry = new(StringComparer.Ordinal);

    private readonly Channel<bool> _due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Notes an operation as just stored; only its latest form before the next flush is sent.</summary>
    public void Note(OperationInfo operation)
    {
        _pending[operation.Id] = operation;
        _due.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _due.Reader.ReadAsync(stoppingToken))
            {
                // What else changes meanwhile joins this flush.
                await Task.Delay(options.Value.IndexFlushPeriod, stoppingToken);
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was not sent yet is left out of the indexes (they are views; the operations are stored).
        }
    }

    /// <summary>Sends what was noted since the last flush.</summary>
    public async Task FlushAsync()
    {
        var batch = Interlocked.Exchange(ref _pending, new(StringComparer.Ordinal));
        var retry = _retry;
        _retry = new(StringComparer.Ordinal);
        var all = retry.Values.Where(o => !batch.ContainsKey(o.Id)).Concat(batch.Values).ToList();
        if (all.Count == 0) return;
        // The platform's own bookkeeping: no request's caller is behind a flush.
        using var system = CallerContext.AsSystem("operation-index");
        var byIndex = all
            .SelectMany(o => (o.TenantId.Length > 0 ? new[] { OperationIndex.TenantKey(o.TenantId) } : [])
                .Append(OperationIndex.ShardKey(OperationIndex.ShardOf(o.Id))).Select(key => (Key: key, Operation: o)))
            .GroupBy(e => e.Key, e => e.Operation);
        await Task.WhenAll(byIndex.Select(async group =>
        {
            try
            {
                await grains.GetGrain<IOperationIndexGrain>(group.Key).RecordAsync([.. group]);
            }
            catch (Exception e)
            {
                LogFlushFailed(logger, e, group.Key);
                // Tried once more with the next flush; a second failure leaves the index without them.
                lock (_retry) foreach (var o in group.Where(o => batch.ContainsKey(o.Id))) _retry[o.Id] = o;
                _due.Writer.TryWrite(true);
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation index {Key} could not record a batch; tried again with the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string key);
}
