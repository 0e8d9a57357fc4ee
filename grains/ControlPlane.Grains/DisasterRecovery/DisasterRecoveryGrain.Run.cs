using System.Collections.Immutable;
using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Grains.DisasterRecovery;

/// <summary>
/// The failover and failback run. Each step, in order: list the instances a failover leaves behind
/// (once), take the next batch of pending instances towards their target region, count what the step
/// did (<see cref="FailoverRun.After"/>), and end the run when nothing is left.
/// </summary>
public sealed partial class DisasterRecoveryGrain
{
    private const string ResumeReminder = "dr-run";

    public async Task<DrStatus> FailoverAsync(string actor, string reason)
    {
        var (drRegion, approval) = await PrepareFailoverAsync(dryRun: false);
        return await Guard.ActWithApprovalAsync(GrainFactory, approval, async () =>
        {
            // The region stops taking placements first, so no evacuation inside it competes with the failover.
            await GrainFactory.GetGrain<IRegionGrain>(RegionId).SetFailedOverAsync(true);
            LogRun(logger, "Failover", RegionId, drRegion, state.State.Protections.Count, actor, reason);
            return await StartRunAsync(failover: true, actor, reason);
        },
        // Failed before any run was written: the retry (the same call) needs the approval. A run written, or perhaps
        // written (its write failed), keeps it used: one approval, one failover.
        giveBack: e => state.State.Mode == DrMode.Normal && e is not OperationCanceledException);
    }

    public async Task<DrStatus> CheckFailoverAsync(string actor, string reason)
    {
        await PrepareFailoverAsync(dryRun: true);
        return Status(NewRun(failover: true, actor, reason));
    }

    /// <summary>
    /// The checks of a failover (a known region, the caller's right to administer it, the region in its normal mode, a
    /// disaster-recovery region to fail over to, the caller's four-eyes approval — claimed; with <paramref name="dryRun"/>
    /// only looked at, left usable): throws the refusal; else the disaster-recovery region and the approval to mark used
    /// once the run has started.
    /// </summary>
    private async Task<(string DrRegion, ApprovalInfo? Approval)> PrepareFailoverAsync(bool dryRun)
    {
        _ = Region;
        await Guard.AdministerAsync(GrainFactory, topology, RegionId);
        if (state.State.Mode != DrMode.Normal) throw Conflict("fail over");
        var drRegion = DrRegion ?? throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrStateConflict,
            $"region '{RegionId}' has no disaster-recovery region to fail over to: no region has the disaster-recovery role",
            (ErrorMetadata.Region, RegionId)).ToException();
        return (drRegion, await Guard.FourEyesAsync(GrainFactory, ApprovalAction.Failover, RegionId, claim: !dryRun));
    }

    public async Task<DrStatus> FailbackAsync(string actor, string reason)
    {
        await PrepareFailbackAsync();
        await GrainFactory.GetGrain<IRegionGrain>(RegionId).SetFailedOverAsync(false);
        LogRun(logger, "Failback", RegionId, DrRegion ?? "-", state.State.Protections.Count, actor, reason);
        return await StartRunAsync(failover: false, actor, reason);
    }

    public async Task<DrStatus> CheckFailbackAsync(string actor, string reason)
    {
        await PrepareFailbackAsync();
        return Status(NewRun(failover: false, actor, reason));
    }

    /// <summary>The checks of a failback (a known region, the caller's right to administer it, the region failed over): throws the refusal.</summary>
    private async Task PrepareFailbackAsync()
    {
        _ = Region;
        await Guard.AdministerAsync(GrainFactory, topology, RegionId);
        if (state.State.Mode != DrMode.FailedOver) throw Conflict("fail back");
    }

    /// <summary>Records the run and returns at once: the timer moves the instances, a reminder brings the grain back to finish if its silo dies.</summary>
    private async Task<DrStatus> StartRunAsync(bool failover, string actor, string reason)
    {
        Store(NewRun(failover, actor, reason));
        await state.PersistAsync(this);
        await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        return Status();
    }

    /// <summary>A run starting now over every protected instance: what a real start stores, and what its dry run answers.</summary>
    private FailoverRun NewRun(bool failover, string actor, string reason) =>
        FailoverRun.Start(failover, actor, reason, clock.GetUtcNow(), state.State.Protections.Keys);

    private async Task AdvanceAsync()
    {
        var run = LoadRun();
        if (!run.LostListed && await ListLostAsync() is { } lost) run = run.WithLost(lost);
        var steps = await Task.WhenAll(run.NextBatch(options.Value.Parallelism).Select(id => StepAsync(id, run.Failover)));
        if (run.Failover)
        {
            foreach (var step in steps.Where(s => s.Moved))
            {
                if (!state.State.Protections.TryGetValue(step.InstanceId, out var p)) continue;
                // The reservation became the instance's allocation; a new one is made after the failback.
                state.State.Protections[step.InstanceId] = p with { ReservedZone = "", ReservedServerId = "", Problem = "failed over: runs in the disaster-recovery region" };
            }
        }
        run = run.After(steps, options.Value.MaxAttempts, clock.GetUtcNow());
        Store(run);
        if (run.Finished)
        {
            LogRunEnded(logger, run.Failover ? "Failover" : "Failback", RegionId, run.Done, run.Failed.Count, (clock.GetUtcNow() - run.StartTime).TotalSeconds);
            if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        await state.PersistAsync(this);
    }

    /// <summary>The region's unprotected instances, which a failover leaves behind; null while a zone does not answer (tried again next step).</summary>
    private async Task<ImmutableArray<string>?> ListLostAsync()
    {
        try
        {
            var instances = await Task.WhenAll(Region.Zones.Select(z => GrainFactory.GetGrain<IZoneGrain>(z.Id).ListInstanceIdsAsync()));
            return [.. instances.SelectMany(ids => ids).Where(id => !state.State.Protections.ContainsKey(id)).Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return null;
        }
    }

    private async Task<FailoverStep> StepAsync(string id, bool failover)
    {
        var instance = await GrainFactory.GetGrain<IInstanceGrain>(id).GetAsync();
        if (instance is null) return FailoverStep.Hopeless(id, "the instance no longer exists");
        var protection = state.State.Protections[id];
        var target = failover ? protection.DrRegion : RegionId;
        if (instance.Region == target && instance.State == InstanceState.Running) return FailoverStep.Arrived(id);
        if (instance.State != InstanceState.Running) return FailoverStep.Busy(id);
        try
        {
            // One operation per generation: a move that failed leaves a new generation, and the next step starts another.
            var operation = await GrainFactory.GetGrain<IOperationGrain>($"op-{(failover ? "failover" : "failback")}-{id}-g{instance.Generation}")
                .StartMoveAsync(new MoveInstanceCommand(id, instance.ServerId, Live: !failover)
                {
                    TargetRegion = target,
                    PreferServerId = failover ? protection.ReservedServerId : "",
                });
            return FailoverStep.Started(id, operation.Error?.Message);
        }
        catch (ControlPlaneException e)
        {
            return FailoverStep.Started(id, $"{e.Error.Reason}: {e.Error.Message}");
        }
    }

    /// <summary>The run as persisted: its public part in <see cref="DisasterRecoveryState.Run"/>, the moves still to make beside it.</summary>
    private FailoverRun LoadRun()
    {
        var run = state.State.Run!;
        return new FailoverRun(run.Failover, run.Actor, run.Reason, run.StartTime, run.EndTime, run.Total, run.Done, run.Failed, run.Lost,
            state.State.LostListed, [.. state.State.Pending.Select(p => new PendingMove(p.Key, p.Value))]);
    }

    private void Store(FailoverRun run)
    {
        state.State.Mode = run.Phase;
        state.State.Pending = run.Pending.ToDictionary(p => p.InstanceId, p => p.Attempts, StringComparer.Ordinal);
        state.State.LostListed = run.LostListed;
        state.State.Run = Public(run);
    }

    /// <summary>What a run shows of itself (<see cref="DrStatus.LastRun"/>).</summary>
    private static DrRun Public(FailoverRun run) =>
        new(run.Failover, run.Actor, run.Reason, run.StartTime, run.EndTime, run.Total, run.Done, run.Failed, run.Lost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} of region {Region} with {DrRegion} started for {Protected} protected instance(s), by {Actor}: {Reason}")]
    private static partial void LogRun(ILogger logger, string kind, string region, string drRegion, int @protected, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} of region {Region} ended: {Done} moved, {Failed} given up, after {Seconds:0.0} s")]
    private static partial void LogRunEnded(ILogger logger, string kind, string region, int done, int failed, double seconds);
}
