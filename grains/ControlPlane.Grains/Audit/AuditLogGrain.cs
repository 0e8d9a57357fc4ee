using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Audit;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Audit;

/// <summary>
/// The audit log's single writer. Appends are chained one after another and each is written to the
/// store before its call returns; appends that arrive while a write is under way are written together
/// next, in one statement (a group commit), so the log keeps up with every silo's gateways at the
/// cost of one database commit per batch, not per record. Retention runs on a timer.
/// </summary>
public sealed class AuditLogGrain(IAuditStore store, TimeProvider clock, IOptions<AuditOptions> options) : Grain, IAuditLogGrain
{
    /// <summary>One more than the API's largest page: the gateway asks for one extra record to know whether another page follows.</summary>
    public const int MaxPage = 1001;

    /// <summary>The most records one write carries.</summary>
    public const int MaxBatch = 256;

    /// <summary>The last record stored: the next batch chains from it.</summary>
    private AuditRecord? _last;
    private AuditCheckpoint _checkpoint = AuditCheckpoint.Genesis;
    private readonly List<Pending> _queue = [];
    private bool _writing;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _last = await store.LastAsync(cancellationToken);
        _checkpoint = await store.CheckpointAsync(cancellationToken);
        this.RegisterGrainTimer(() => ApplyRetentionAsync(), options.Value.PrunePeriod, options.Value.PrunePeriod);
    }

    public Task<AuditRecord> AppendAsync(AuditEntry entry)
    {
        var pending = new Pending(entry, clock.GetUtcNow());
        _queue.Add(pending);
        if (!_writing)
        {
            _writing = true;
            WriteQueuedAsync().Ignore();
        }
        return pending.Done.Task;
    }

    /// <summary>Writes the queue, batch after batch, until it is empty. Runs on the grain's own scheduler.</summary>
    private async Task WriteQueuedAsync()
    {
        try
        {
            while (_queue.Count > 0)
            {
                var batch = _queue.GetRange(0, Math.Min(MaxBatch, _queue.Count));
                _queue.RemoveRange(0, batch.Count);
                await WriteAsync(batch);
            }
        }
        finally
        {
            _writing = false;
        }
    }

    /// <summary>Chains the batch from the last stored record and stores it whole; on failure none of it is kept and each caller gets the error.</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        var records = new List<AuditRecord>(batch.Count);
        var last = _last;
        foreach (var pending in batch)
        {
            last = AuditChain.Next(last, _checkpoint, pending.Time, pending.Entry);
            records.Add(last);
        }
        try
        {
            await store.AppendAsync(records);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Done.TrySetException(e);
            return;
        }
        _last = last;
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(records[i]);
    }

    public async Task<ImmutableArray<AuditRecord>> ListAsync(AuditQuery query) =>
        [.. await store.QueryAsync(query with { Limit = Math.Clamp(query.Limit, 1, MaxPage) })];

    public async Task<AuditVerification> VerifyAsync() =>
        await AuditChain.VerifyAsync(await store.CheckpointAsync(), store.ReadAllAsync(), _last);

    public async Task<AuditCheckpoint> PruneAsync(DateTimeOffset before)
    {
        AuditRecord? newest = null;
        await foreach (var record in store.ReadAllAsync())
        {
            if (record.Time >= before) break;
            newest = record;
        }
        if (newest is null) return _checkpoint;
        var checkpoint = new AuditCheckpoint(newest.Sequence, newest.Hash, newest.Time);
        await store.PruneAsync(checkpoint);
        _checkpoint = checkpoint;
        return checkpoint;
    }

    private Task ApplyRetentionAsync() => PruneAsync(clock.GetUtcNow() - options.Value.Retention);

    private sealed record Pending(AuditEntry Entry, DateTimeOffset Time)
    {
        public TaskCompletionSource<AuditRecord> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
