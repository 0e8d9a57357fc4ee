using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.DisasterRecovery;

/// <summary>
/// Disaster recovery of one production region. A protected instance holds a reservation — capacity
/// on a server of the disaster-recovery region that the server grain keeps like an allocation — so a
/// failover finds room. A failover moves every protected instance there through the same persisted
/// move operations as a drain (one per instance and generation, landing on its reservation first),
/// a few dozen at a time, and a reminder carries it on if the silo running it dies. The region then
/// takes no new placements until it fails back.
/// </summary>
public sealed partial class DisasterRecoveryGrain(
    PlatformTopology topology,
    TimeProvider clock,
    IOptions<DisasterRecoveryOptions> options,
    ILogger<DisasterRecoveryGrain> logger,
    [PersistentState("disaster-recovery", StorageNames.State)] IPersistentState<DisasterRecoveryState> state) : Grain, IDisasterRecoveryGrain, IRemindable
{
    private const string ResumeReminder = "dr-run";
    private const int SweepBatch = 100;

    private string RegionId => this.GetPrimaryKeyString();
    private RegionSpec Region => topology.FindRegion(RegionId) ?? throw Failures.UnknownRegion("region", RegionId);

    /// <summary>The region the protected instances fail over to: the one with the disaster-recovery role.</summary>
    private string? DrRegion => topology.Regions.FirstOrDefault(r => r.Role == RegionRole.DisasterRecovery && r.Id != RegionId)?.Id;

    private bool Running => state.State.Mode is DrMode.FailingOver or DrMode.FailingBack;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(TickAsync, options.Value.Period, options.Value.Period);
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public Task<bool> IsFailedOverAsync() => Task.FromResult(state.State.Mode is DrMode.FailingOver or DrMode.FailedOver);

    public Task<DrStatus> GetStatusAsync() => Task.FromResult(Status());

    public async Task<DrProtection> ProtectAsync(string instanceId)
    {
        var region = Region;
        var record = GrainFactory.GetGrain<IInstanceGrain>(instanceId);
        var instance = await record.GetAsync() ?? throw Failures.InstanceNotFound(instanceId);
        await Guard.TenantAsync(GrainFactory, instance.TenantId, write: true);
        if (state.State.Protections.TryGetValue(instanceId, out var existing)) return existing;
        if (instance.State is InstanceState.Deleting or InstanceState.Deleted) throw Failures.InstanceNotFound(instanceId);
        if (state.State.Mode != DrMode.Normal) throw Conflict("protect instances");
        var drRegion = DrRegion;
        if (drRegion is not null)
        {
            var tenant = await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).GetAsync();
            if (Residency.DrProblem(tenant.Spec, region, topology.FindRegion(drRegion)!) is { } residency)
            {
                throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrRegionNotAllowed,
                    $"instance '{instanceId}' cannot be protected in '{drRegion}': {residency}",
                    ("instance_id", instanceId), ("region", region.Id), ("dr_region", drRegion), ("tenant_id", instance.TenantId)).ToException();
            }
            if (!tenant.Spec.AllowedRegions.Contains(drRegion))
            {
                throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrRegionNotAllowed,
                    $"instance '{instanceId}' cannot be protected: its disaster-recovery region '{drRegion}' is not among tenant '{instance.TenantId}''s allowed regions ({string.Join(", ", tenant.Spec.AllowedRegions)})",
                    ("instance_id", instanceId), ("region", region.Id), ("dr_region", drRegion), ("tenant_id", instance.TenantId)).ToException();
            }
        }
        var protection = await ReserveAsync(new DrProtection(instanceId, instance.TenantId, instance.Size, instance.Resources,
            instance.Resources.Gpus > 0 ? await GpuModelAsync(instance) : "", drRegion ?? "", "", "", ""));
        state.State.Protections[instanceId] = protection;
        await state.PersistAsync(this);
        await record.SetDrProtectedAsync(true);
        return protection;
    }

    public async Task UnprotectAsync(string instanceId, bool deleted)
    {
        if (!state.State.Protections.TryGetValue(instanceId, out var protection)) return;
        if (!deleted) await Guard.TenantAsync(GrainFactory, protection.TenantId, write: true);
        if (!deleted && state.State.Mode != DrMode.Normal) throw Conflict("unprotect instances");
        await ReleaseAsync(protection);
        state.State.Protections.Remove(instanceId);
        state.State.Pending.Remove(instanceId);
        await state.PersistAsync(this);
        if (!deleted) await GrainFactory.GetGrain<IInstanceGrain>(instanceId).SetDrProtectedAsync(false);
    }

    public async Task ReservationDroppedAsync(string instanceId, string serverId)
    {
        if (!state.State.Protections.TryGetValue(instanceId, out var protection) || protection.ReservedServerId != serverId) return;
        state.State.Protections[instanceId] = protection with { ReservedZone = "", ReservedServerId = "", Problem = $"server '{serverId}' left service" };
        await state.PersistAsync(this);
    }

    public async Task<DrStatus> FailoverAsync(string actor, string reason)
    {
        _ = Region;
        await Guard.AdministerAsync(GrainFactory, topology, RegionId);
        if (state.State.Mode != DrMode.Normal) throw Conflict("fail over");
        var drRegion = DrRegion ?? throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrStateConflict,
            $"region '{RegionId}' has no disaster-recovery region to fail over to: no region has the disaster-recovery role",
            ("region", RegionId)).ToException();
        var approval = await Guard.FourEyesAsync(GrainFactory, ApprovalAction.Failover, RegionId);
        // The region stops taking placements first, so no evacuation inside it competes with the failover.
        await GrainFactory.GetGrain<IRegionGrain>(RegionId).SetFailedOverAsync(true);
        LogRun(logger, "Failover", RegionId, drRegion, state.State.Protections.Count, actor, reason);
        var status = await StartRunAsync(DrMode.FailingOver, failover: true, actor, reason);
        await Guard.CompleteAsync(GrainFactory, approval);
        return status;
    }

    public async Task<DrStatus> FailbackAsync(string actor, string reason)
    {
        _ = Region;
        await Guard.AdministerAsync(GrainFactory, topology, RegionId);
        if (state.State.Mode != DrMode.FailedOver) throw Conflict("fail back");
        await GrainFactory.GetGrain<IRegionGrain>(RegionId).SetFailedOverAsync(false);
        LogRun(logger, "Failback", RegionId, DrRegion ?? "-", state.State.Protections.Count, actor, reason);
        return await StartRunAsync(DrMode.FailingBack, failover: false, actor, reason);
    }

    /// <summary>Records the run and returns at once: the timer moves the instances, a reminder brings the grain back to finish if its silo dies.</summary>
    private async Task<DrStatus> StartRunAsync(DrMode mode, bool failover, string actor, string reason)
    {
        state.State.Mode = mode;
        state.State.Pending = state.State.Protections.Keys.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        state.State.LostListed = !failover;
        state.State.Run = new DrRun(failover, actor, reason, clock.GetUtcNow(), null, state.State.Pending.Count, 0,
            ImmutableDictionary<string, string>.Empty, []);
        await state.PersistAsync(this);
        await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        return Status();
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

    /// <summary>Advances a running failover or failback, or retries missing reservations.</summary>
    private async Task TickAsync()
    {
        if (Running)
        {
            await AdvanceAsync();
            return;
        }
        if (state.State.Mode != DrMode.Normal) return;
        var missing = state.State.Protections.Values.Where(p => !p.IsReserved).Take(SweepBatch).ToList();
        if (missing.Count == 0) return;
        var changed = false;
        foreach (var protection in missing)
        {
            var retried = await ReserveAsync(protection);
            if (retried == protection) continue;
            state.State.Protections[protection.InstanceId] = retried;
            changed = true;
        }
        // Retries that change nothing (still no capacity, still no disaster-recovery region) write nothing.
        if (changed) await state.PersistAsync(this);
    }

    private async Task AdvanceAsync()
    {
        var run = state.State.Run!;
        if (!state.State.LostListed && await ListLostAsync() is { } lost)
        {
            state.State.LostListed = true;
            run = run with { Lost = lost };
        }
        var batch = state.State.Pending.Keys.Take(options.Value.Parallelism).ToList();
        var outcomes = await Task.WhenAll(batch.Select(id => StepAsync(id, run.Failover)));
        var done = run.Done;
        var failed = run.Failed;
        foreach (var (id, moved, attempted, error) in outcomes)
        {
            if (moved)
            {
                state.State.Pending.Remove(id);
                done++;
                if (run.Failover && state.State.Protections.TryGetValue(id, out var p))
                {
                    // The reservation became the instance's allocation; a new one is made after the failback.
                    state.State.Protections[id] = p with { ReservedZone = "", ReservedServerId = "", Problem = "failed over: runs in the disaster-recovery region" };
                }
            }
            else if (error is not null && !attempted)
            {
                state.State.Pending.Remove(id);
                failed = failed.SetItem(id, error);
            }
            else if (attempted && ++state.State.Pending[id] >= options.Value.MaxAttempts)
            {
                state.State.Pending.Remove(id);
                failed = failed.SetItem(id, error ?? $"not moved after {options.Value.MaxAttempts} attempts");
            }
        }
        var finished = state.State.Pending.Count == 0 && state.State.LostListed;
        state.State.Run = run with { Done = done, Failed = failed, EndTime = finished ? clock.GetUtcNow() : null };
        if (finished)
        {
            state.State.Mode = run.Failover ? DrMode.FailedOver : DrMode.Normal;
            LogRunEnded(logger, run.Failover ? "Failover" : "Failback", RegionId, done, failed.Count, (clock.GetUtcNow() - run.StartTime).TotalSeconds);
            if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        await state.PersistAsync(this);
    }

    /// <summary>
    /// One instance's step towards where the run wants it: moved once it runs there; attempted when a
    /// move was started (or refused) this step, with the refusal; an error alone when there is nothing left to try.
    /// </summary>
    private async Task<(string Id, bool Moved, bool Attempted, string? Error)> StepAsync(string id, bool failover)
    {
        var instance = await GrainFactory.GetGrain<IInstanceGrain>(id).GetAsync();
        if (instance is null) return (id, false, false, "the instance no longer exists");
        var protection = state.State.Protections[id];
        var target = failover ? protection.DrRegion : RegionId;
        if (instance.Region == target && instance.State == InstanceState.Running) return (id, true, false, null);
        // Moving (a move in flight) or being created: look again at the next step.
        if (instance.State != InstanceState.Running) return (id, false, false, null);
        try
        {
            // One operation per generation: a move that failed leaves a new generation, and the next step starts another.
            var operation = await GrainFactory.GetGrain<IOperationGrain>($"op-{(failover ? "failover" : "failback")}-{id}-g{instance.Generation}")
                .StartMoveAsync(new MoveInstanceCommand(id, instance.ServerId, Live: !failover)
                {
                    TargetRegion = target,
                    PreferServerId = failover ? protection.ReservedServerId : "",
                });
            return (id, false, true, operation.Error?.Message);
        }
        catch (ControlPlaneException e)
        {
            return (id, false, true, $"{e.Error.Reason}: {e.Error.Message}");
        }
    }

    /// <summary>Places the instance's reservation in the disaster-recovery region, or records why it could not.</summary>
    private async Task<DrProtection> ReserveAsync(DrProtection protection)
    {
        var drRegion = DrRegion;
        if (drRegion is null) return protection with { DrRegion = "", Problem = "no region has the disaster-recovery role" };
        try
        {
            var placement = await GrainFactory.GetGrain<IRegionGrain>(drRegion).PlaceAsync(new PlacementRequest(
                ServerAllocation.ReservationId(protection.InstanceId), protection.TenantId, protection.Size, protection.Resources, protection.GpuModel, "",
                Reservation: true, Recovery: true));
            return protection with { DrRegion = drRegion, ReservedZone = placement.Zone, ReservedServerId = placement.ServerId, Problem = "" };
        }
        catch (ControlPlaneException e)
        {
            return protection with { DrRegion = drRegion, Problem = $"{e.Error.Reason}: {e.Error.Message}" };
        }
    }

    private async Task ReleaseAsync(DrProtection protection)
    {
        if (!protection.IsReserved) return;
        await GrainFactory.GetGrain<IZoneGrain>(protection.ReservedZone).ReleaseAsync(protection.ReservedServerId, ServerAllocation.ReservationId(protection.InstanceId));
    }

    private async Task<string> GpuModelAsync(InstanceInfo instance)
    {
        var server = await GrainFactory.GetGrain<IServerGrain>(instance.ServerId).GetAsync();
        return server.GpuModel;
    }

    private DrStatus Status()
    {
        var protections = state.State.Protections.Values;
        return new DrStatus(RegionId, DrRegion ?? "", state.State.Mode, protections.Count, protections.Count(p => p.IsReserved),
            [.. protections.Where(p => !p.IsReserved).OrderBy(p => p.InstanceId, StringComparer.Ordinal)], state.State.Run);
    }

    private ControlPlaneException Conflict(string wanted) =>
        DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrStateConflict,
            $"region '{RegionId}' is {ModeName(state.State.Mode)}: cannot {wanted} now",
            ("region", RegionId), ("mode", ModeName(state.State.Mode))).ToException();

    private static string ModeName(DrMode mode) => mode switch
    {
        DrMode.FailingOver => "failing-over",
        DrMode.FailedOver => "failed-over",
        DrMode.FailingBack => "failing-back",
        _ => "normal",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} of region {Region} with {DrRegion} started for {Protected} protected instance(s), by {Actor}: {Reason}")]
    private static partial void LogRun(ILogger logger, string kind, string region, string drRegion, int @protected, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} of region {Region} ended: {Done} moved, {Failed} given up, after {Seconds:0.0} s")]
    private static partial void LogRunEnded(ILogger logger, string kind, string region, int done, int failed, double seconds);
}
