using System.Collections.Immutable;
using System.Threading.Channels;
using ControlPlane.Grains.Abstractions.Events;
using ControlPlane.Grains.Affinity;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Events;

/// <summary>
/// Runs on every silo while it is active: looks at cluster membership at each change of it (the snapshot is local)
/// and reports each ops centre lost or back to the event log grain, which records each transition once. A silo's ops
/// centre comes from silo metadata, which may arrive a moment after the silo turns active: while an active silo's (or
/// this silo's own) is not known yet, it looks again every <see cref="Period"/>; once all are known it sleeps until
/// the next change, so an idle cluster does not wake it. A report that fails (the log's silo just died) is retried.
/// </summary>
public sealed partial class OpsCentreWatcher(
    IClusterMembershipService membership,
    ISiloMetadataCache metadata,
    ILocalSiloDetails local,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<OpsCentreWatcher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private const int Attempts = 30;

    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OpsCentreWatcher), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken ct)
    {
        _loop = Task.Run(() => WatchAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken ct)
    {
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        using var system = CallerContext.AsSystem("ops-centre-watch");
        var localCentre = CentreOf(local.SiloAddress);
        var view = new OpsCentreView(localCentre);
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var updates = WakeOnMembershipChangeAsync(changed.Writer, ct);
        try
        {
            bool late;
            do
            {
                // The local silo's own metadata may come a moment late: start over once, when it is known.
                if (localCentre.Length == 0 && CentreOf(local.SiloAddress) is { Length: > 0 } known) view = new OpsCentreView(localCentre = known);
                var centres = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
                    .Select(m => CentreOf(m.SiloAddress)).ToList();
                late = localCentre.Length == 0 || centres.Contains("");
                var active = centres.Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToImmutableArray();
                var observedAt = clock.GetUtcNow();
                foreach (var (centre, present) in view.Update(active))
                {
                    await ReportAsync(new OpsCentreObservation(centre, present, observedAt, local.Name, localCentre, active), ct);
                }
            }
            while (await NextLookAsync(changed.Reader, late, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        await updates;
    }

    /// <summary>At the next membership change, or, while a silo's metadata is <paramref name="late"/>, after <see cref="Period"/>.</summary>
    private async Task<bool> NextLookAsync(ChannelReader<bool> changed, bool late, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (late) wait.CancelAfter(Period);
        try
        {
            await changed.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        return !ct.IsCancellationRequested;
    }

    private async Task WakeOnMembershipChangeAsync(ChannelWriter<bool> changed, CancellationToken ct)
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(ct)) changed.TryWrite(true);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task ReportAsync(OpsCentreObservation observation, CancellationToken ct)
    {
        for (var attempt = 1; !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key).ReportAsync(observation);
                return;
            }
            catch (Exception e) when (attempt < Attempts && e is not OperationCanceledException)
            {
                LogRetry(logger, observation.OpsCentre, observation.Present, attempt, e.Message);
                try
                {
                    await Task.Delay(RetryDelay, clock, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogGaveUp(logger, e, observation.OpsCentre, observation.Present, attempt);
                return;
            }
        }
    }

    private string CentreOf(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(OpsCentreAffinityDirector.MetadataKey, "");

    [LoggerMessage(Level = LogLevel.Information, Message = "Reporting ops centre {OpsCentre} present={Present} failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogRetry(ILogger logger, string opsCentre, bool present, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reporting ops centre {OpsCentre} present={Present} failed {Attempts} times; the event log misses this change")]
    private static partial void LogGaveUp(ILogger logger, Exception error, string opsCentre, bool present, int attempts);
}
