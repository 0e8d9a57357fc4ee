using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Affinity;
using ControlPlane.Grains.Agents;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using ControlPlane.Grains.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Servers;

/// <summary>
/// The single authority on a server's allocations and lifecycle. Grains are single-threaded, so the
/// check and the write of a reservation cannot interleave: allocations never exceed capacity.
/// It is also the server's reconciler: it compares what its agent runs with what it should run.
/// Agent calls never hold the grain (a dead agent would stall placements in the zone): a probe runs
/// beside the grain and its answer comes back as a message.
/// </summary>
[OpsCentreAffinity]
public sealed partial class ServerGrain(
    PlatformTopology topology,
    TopologySync sync,
    IServerAgentClient agents,
    AgentCallPipeline agentCalls,
    TimeProvider clock,
    IOptions<ReconcileOptions> options,
    ILogger<ServerGrain> logger,
    [PersistentState("server", StorageNames.State)] IPersistentState<ServerState> state) : Grain, IServerGrain
{
    private static readonly TimeSpan CommissionProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeGiveUp = TimeSpan.FromMinutes(1);

    private bool _reachable = true;
    /// <summary>When the probe in flight started; a probe whose answer never came back (lost message) is given up after a minute.</summary>
    private DateTimeOffset? _probeStarted;
    private DateTimeOffset? _lastContact;
    private DateTimeOffset? _unreachableSince;
    private string _lastError = "";

    private ServerSpec Spec => topology.FindServer(this.GetPrimaryKeyString()) ?? throw Failures.ServerNotFound(this.GetPrimaryKeyString());
    private string Id => this.GetPrimaryKeyString();
    /// <summary>The lifecycle state; reading it first checks that the server exists, so nothing is written for an unknown id.</summary>
    private ServerLifecycle Lifecycle => Spec is not null ? state.State.Lifecycle : ServerLifecycle.Active;
    private bool Schedulable => Lifecycle == ServerLifecycle.Active && _reachable;

    private ResourceAmount Allocated => state.State.Allocations.Values.Aggregate(ResourceAmount.Zero, (sum, a) => sum + a.Resources);

    /// <summary>A server racked a moment ago may be unknown to this silo yet: catch up before any call reads its spec.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await sync.FindServerAsync(Id);

    public Task<ServerDetails> GetAsync() => Task.FromResult(Details());

    public Task<ServerUsage> GetUsageAsync() => Task.FromResult(Usage());

    public async Task<ServerUsage?> TryReserveAsync(ServerAllocation allocation)
    {
        var spec = Spec;
        if (state.State.Allocations.ContainsKey(allocation.InstanceId)) return Usage();
        if (!Schedulable) return null;

        // An instance failing over onto its own reservation takes the reservation's place.
        var reservation = allocation.IsReservation ? null
            : state.State.Allocations.GetValueOrDefault(ServerAllocation.ReservationId(allocation.InstanceId));
        var free = spec.Capacity - Allocated + (reservation?.Resources ?? ResourceAmount.Zero);
        if (!free.Covers(allocation.Resources)) return null;
        if (allocation.Resources.Gpus > 0 && allocation.GpuModel.Length > 0 && allocation.GpuModel != spec.GpuModel) return null;
        if (allocation.AntiAffinityGroup.Length > 0
            && state.State.Allocations.Values.Any(a => a.AntiAffinityGroup == allocation.AntiAffinityGroup)) return null;

        if (reservation is not null) state.State.Allocations.Remove(reservation.InstanceId);
        state.State.Allocations[allocation.InstanceId] = allocation;
        await state.PersistAsync(this);
        return Usage();
    }

    public async Task<ServerUsage> ReleaseAsync(string instanceId)
    {
        _ = Spec;
        if (state.State.Allocations.Remove(instanceId))
        {
            NoteIfDrained();
            await state.PersistAsync(this);
        }
        return Usage();
    }

    public async Task<ServerDetails> CordonAsync()
    {
        await AdministerAsync();
        return await Cordon();
    }

    private Task<ServerDetails> Cordon() => Lifecycle switch
    {
        ServerLifecycle.Active => ChangeAsync(ServerLifecycle.Cordoned, "Operator"),
        ServerLifecycle.Cordoned or ServerLifecycle.Draining or ServerLifecycle.Drained => Task.FromResult(Details()),
        _ => throw Conflict("cordoned", "commission it first"),
    };

    public async Task<ServerDetails> UncordonAsync()
    {
        await AdministerAsync();
        return await Uncordon();
    }

    private Task<ServerDetails> Uncordon() => Lifecycle switch
    {
        ServerLifecycle.Active => Task.FromResult(Details()),
        ServerLifecycle.Cordoned or ServerLifecycle.Draining or ServerLifecycle.Drained => ChangeAsync(ServerLifecycle.Active, "Operator"),
        _ => throw Conflict("uncordoned", "commission it instead"),
    };

    public async Task<ServerDetails> DrainAsync()
    {
        await AdministerAsync();
        switch (Lifecycle)
        {
            case ServerLifecycle.Draining or ServerLifecycle.Drained:
                return Details();
            case ServerLifecycle.Active or ServerLifecycle.Cordoned:
                var details = await ChangeAsync(state.State.Allocations.Count == 0 ? ServerLifecycle.Drained : ServerLifecycle.Draining, "Operator");
                await StartMovesAsync();
                return details;
            default:
                throw Conflict("drained", "its instances are already re-created elsewhere or it is out of service");
        }
    }

    public async Task<ServerDetails> MarkFailedAsync(string reason)
    {
        await AdministerAsync();
        return await FailAsync(reason);
    }

    private async Task<ServerDetails> FailAsync(string reason)
    {
        if (Lifecycle == ServerLifecycle.Failed) return Details();
        if (Lifecycle == ServerLifecycle.Decommissioned) throw Conflict("marked failed", "it is out of service");
        var details = await ChangeAsync(ServerLifecycle.Failed, reason.Length > 0 ? reason : "Operator");
        ControlPlaneTelemetry.ReconcileActions.Add(1, new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Action, "server_failed"));
        await StartMovesAsync();
        return details;
    }

    public async Task<ServerDetails> DecommissionAsync()
    {
        await AdministerAsync();
        if (Lifecycle == ServerLifecycle.Decommissioned) return Details();
        if (Lifecycle == ServerLifecycle.Active) throw Conflict("decommissioned", "cordon and drain it first");
        if (state.State.Allocations.Count > 0)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ServerNotEmpty,
                $"server '{Id}' still holds {state.State.Allocations.Count} instance(s); drain it first",
                ("server_id", Id), ("instance_count", state.State.Allocations.Count.ToString())).ToException();
        }
        var approval = await Guard.FourEyesAsync(GrainFactory, ApprovalAction.DecommissionServer, Id);
        var details = await ChangeAsync(ServerLifecycle.Decommissioned, "Operator");
        await Guard.CompleteAsync(GrainFactory, approval);
        return details;
    }

    /// <summary>Lifecycle changes: an operator of the server's region, from the centre that pilots it.</summary>
    private Task AdministerAsync() =>
        Guard.AdministerAsync(GrainFactory, topology, topology.RegionOf(Id)?.Id ?? "");

    public async Task<ServerDetails> CommissionAsync()
    {
        await AdministerAsync();
        if (Lifecycle == ServerLifecycle.Active) return Details();
        if (Lifecycle is not (ServerLifecycle.Decommissioned or ServerLifecycle.Failed)) throw Conflict("commissioned", "uncordon it instead");
        if (state.State.Allocations.Count > 0)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ServerNotEmpty,
                $"server '{Id}' still holds {state.State.Allocations.Count} instance(s) being moved away; retry when it is empty",
                ("server_id", Id), ("instance_count", state.State.Allocations.Count.ToString())).ToException();
        }
        // One quick attempt, not the retried pipeline: the grain waits for it, and the operator can simply retry.
        using var timeout = new CancellationTokenSource(CommissionProbeTimeout);
        var probe = await ProbeAsync(Id, timeout.Token);
        Observe(probe);
        if (!probe.Answered)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.AgentUnreachable,
                $"the agent of server '{Id}' does not answer ({probe.Error}); repair it before commissioning",
                ("server_id", Id)).ToException();
        }
        // A repaired server may still run instances that were re-created elsewhere meanwhile.
        foreach (var stray in probe.InstanceIds) DeleteStrayInBackground(stray);
        return await ChangeAsync(ServerLifecycle.Active, "Operator");
    }

    public Task ReconcileAsync()
    {
        var now = clock.GetUtcNow();
        if (Lifecycle == ServerLifecycle.Decommissioned || _probeStarted > now - ProbeGiveUp) return Task.CompletedTask;
        _probeStarted = now;
        var self = this.AsReference<IServerGrain>();
        var id = Id;
        Detach(async () => await self.ApplyProbeAsync(await ProbeAsync(id)));
        return Task.CompletedTask;
    }

    public async Task ApplyProbeAsync(AgentProbe probe)
    {
        _probeStarted = null;
        var wasSchedulable = Schedulable;
        Observe(probe);
        if (!probe.Answered)
        {
            if (_unreachableSince is { } since && clock.GetUtcNow() - since >= options.Value.FailAfter
                && Lifecycle is not (ServerLifecycle.Failed or ServerLifecycle.Decommissioned))
            {
                LogDeclaredFailed(logger, Id, options.Value.FailAfter, probe.Error);
                await FailAsync("AgentUnreachable");
                return;
            }
        }
        else
        {
            // A failed server that answers again gets its strays removed, but nothing re-created on it.
            await CorrectAsync(probe, recreate: Lifecycle != ServerLifecycle.Failed);
        }
        if (Lifecycle is ServerLifecycle.Draining or ServerLifecycle.Failed) await StartMovesAsync();
        if (wasSchedulable != Schedulable || Lifecycle is ServerLifecycle.Draining or ServerLifecycle.Failed) ReportToZone();
    }

    public Task ReportAgentFailureAsync(string error)
    {
        var wasReachable = _reachable;
        _reachable = false;
        _unreachableSince ??= clock.GetUtcNow();
        _lastError = error;
        if (wasReachable) ReportToZone();
        return Task.CompletedTask;
    }

    /// <summary>Lost instances are re-created, strays deleted, allocations nobody owns any more released.</summary>
    private async Task CorrectAsync(AgentProbe probe, bool recreate)
    {
        var running = probe.InstanceIds.ToHashSet(StringComparer.Ordinal);
        var released = false;
        var allocations = state.State.Allocations.Values.Where(a => !a.IsReservation).ToList();
        // The records are read together: one probe of a busy server is one round of calls, not one per instance.
        var records = await Task.WhenAll(allocations.Select(a => GrainFactory.GetGrain<IInstanceGrain>(a.InstanceId).GetAsync()));
        foreach (var (allocation, instance) in allocations.Zip(records))
        {
            if (instance is null || (instance.ServerId != Id && instance.State == InstanceState.Running))
            {
                // Left by an interrupted operation: the instance is gone, or runs elsewhere.
                released |= state.State.Allocations.Remove(allocation.InstanceId);
                continue;
            }
            if (recreate && instance.ServerId == Id && instance.State == InstanceState.Running && !running.Contains(instance.Id)
                && instance.UpdateTime < probe.StartTime)
            {
                RecreateInBackground(instance);
            }
        }
        foreach (var stray in running.Where(id => !state.State.Allocations.ContainsKey(id)))
        {
            DeleteStrayInBackground(stray);
        }
        if (released)
        {
            NoteIfDrained();
            await state.PersistAsync(this);
            ReportToZone();
        }
    }

    private void RecreateInBackground(InstanceInfo instance)
    {
        var id = Id;
        LogInstanceLost(logger, instance.Id, id);
        Count("recreated");
        // Taken inside the turn: grain members are not to be touched from the detached work.
        var record = GrainFactory.GetGrain<IInstanceGrain>(instance.Id);
        Detach(async () =>
        {
            try
            {
                await record.ObserveAsync(id, InstanceConditions.Running, false, InstanceConditions.ReasonInstanceLost,
                    $"the agent of server '{id}' no longer runs the instance; re-creating it");
                await agentCalls.ExecuteAsync(id, async ct => await agents.CreateInstanceAsync(id, instance, "", ct), CancellationToken.None);
                await record.ObserveAsync(id, InstanceConditions.Running, true, InstanceConditions.ReasonRecreated,
                    $"re-created on server '{id}' after the agent lost it");
            }
            catch (Exception e)
            {
                LogRecreateFailed(logger, e, instance.Id, id);
            }
        });
    }

    private void DeleteStrayInBackground(string instanceId)
    {
        var id = Id;
        Count("stray_deleted");
        Detach(async () =>
        {
            try
            {
                await agentCalls.ExecuteAsync(id, async ct => await agents.DeleteInstanceAsync(id, instanceId, ct), CancellationToken.None);
            }
            catch (Exception e)
            {
                LogStrayDeleteFailed(logger, e, instanceId, id);
            }
        });
    }

    /// <summary>
    /// Runs work beside the grain, outside its turn and without its execution context, so that the
    /// grain keeps serving while an agent takes its time; results come back as grain calls.
    /// </summary>
    private static void Detach(Func<Task> work)
    {
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(work);
        }
    }

    /// <summary>Starts a move for every instance still here that no operation holds; each move is its own operation.</summary>
    private async Task StartMovesAsync()
    {
        if (Lifecycle is not (ServerLifecycle.Draining or ServerLifecycle.Failed)) return;
        await DropReservationsAsync();
        var live = Lifecycle == ServerLifecycle.Draining;
        foreach (var allocation in state.State.Allocations.Values.ToList())
        {
            var record = GrainFactory.GetGrain<IInstanceGrain>(allocation.InstanceId);
            var instance = await record.GetAsync();
            if (instance is not { State: InstanceState.Running } || instance.ServerId != Id) continue;
            if (!live)
            {
                await record.ObserveAsync(Id, InstanceConditions.Running, false, InstanceConditions.ReasonServerFailed,
                    $"server '{Id}' failed ({state.State.LifecycleReason}); re-creating the instance elsewhere");
            }
            Count("move_started");
            // One operation per generation: a move that failed leaves a new generation, and the next pass starts another.
            GrainFactory.GetGrain<IOperationGrain>($"op-move-{instance.Id}-g{instance.Generation}")
                .StartMoveAsync(new MoveInstanceCommand(instance.Id, Id, live)).Ignore();
        }
    }

    /// <summary>
    /// A server leaving service gives up the disaster-recovery reservations it holds; each instance's
    /// protection is told, and reserves again elsewhere.
    /// </summary>
    private async Task DropReservationsAsync()
    {
        var reservations = state.State.Allocations.Values.Where(a => a.IsReservation).ToList();
        if (reservations.Count == 0) return;
        foreach (var reservation in reservations) state.State.Allocations.Remove(reservation.InstanceId);
        NoteIfDrained();
        await state.PersistAsync(this);
        ReportToZone();
        foreach (var reservation in reservations)
        {
            var instanceId = reservation.InstanceId[ServerAllocation.ReservationId("").Length..];
            var instance = await GrainFactory.GetGrain<IInstanceGrain>(instanceId).GetAsync();
            if (instance is null) continue;
            GrainFactory.GetGrain<IDisasterRecoveryGrain>(instance.HomeRegion.Length > 0 ? instance.HomeRegion : instance.Region)
                .ReservationDroppedAsync(instanceId, Id).Ignore();
        }
    }

    /// <summary>Asks the agent what it runs: through the retried pipeline, or once when a deadline is given.</summary>
    private async Task<AgentProbe> ProbeAsync(string id, CancellationToken? once = null)
    {
        var start = clock.GetUtcNow();
        try
        {
            var running = once is { } token ? await agents.ListInstancesAsync(id, token) : null;
            if (running is null)
            {
                await agentCalls.ExecuteAsync(id, async ct => running = await agents.ListInstancesAsync(id, ct), CancellationToken.None);
            }
            return new AgentProbe(true, [.. running!], "", start);
        }
        catch (Exception e)
        {
            return new AgentProbe(false, [], e.Message, start);
        }
    }

    private void Observe(AgentProbe probe)
    {
        if (probe.Answered)
        {
            _reachable = true;
            _lastContact = clock.GetUtcNow();
            _unreachableSince = null;
            _lastError = "";
        }
        else
        {
            _reachable = false;
            _unreachableSince ??= probe.StartTime;
            _lastError = probe.Error;
        }
    }

    /// <summary>A draining server whose last instance left is drained (the caller persists).</summary>
    private void NoteIfDrained()
    {
        if (Lifecycle == ServerLifecycle.Draining && state.State.Allocations.Count == 0)
        {
            state.State.Lifecycle = ServerLifecycle.Drained;
            LogLifecycle(logger, Id, ServerLifecycle.Drained, state.State.LifecycleReason);
        }
    }

    private async Task<ServerDetails> ChangeAsync(ServerLifecycle lifecycle, string reason)
    {
        state.State.Lifecycle = lifecycle;
        state.State.LifecycleReason = reason;
        await state.PersistAsync(this);
        LogLifecycle(logger, Id, lifecycle, reason);
        ReportToZone();
        return Details();
    }

    private void ReportToZone() => GrainFactory.GetGrain<IZoneGrain>(Spec.Zone).ServerChangedAsync(Id).Ignore();

    private ControlPlaneException Conflict(string wanted, string hint) =>
        DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ServerStateConflict,
            $"server '{Id}' is {Lifecycle.ToString().ToLowerInvariant()} and cannot be {wanted}: {hint}",
            ("server_id", Id), ("lifecycle", Lifecycle.ToString().ToUpperInvariant())).ToException();

    private ServerUsage Usage() => new(Spec.Capacity - Allocated, [.. state.State.Allocations.Keys], Lifecycle, _reachable)
    {
        Groups = state.State.Allocations.Values.Where(a => a.AntiAffinityGroup.Length > 0)
            .ToImmutableDictionary(a => a.InstanceId, a => a.AntiAffinityGroup, StringComparer.Ordinal),
    };

    private ServerDetails Details()
    {
        var spec = Spec;
        return new ServerDetails(spec.Id, spec.Zone, spec.Region, spec.Datacentre, spec.Rack, spec.Sku, spec.GpuModel,
            spec.Capacity, Allocated, [.. state.State.Allocations.Values.OrderBy(a => a.InstanceId, StringComparer.Ordinal)])
        {
            Lifecycle = Lifecycle,
            LifecycleReason = state.State.LifecycleReason,
            Agent = new ServerAgentStatus(_reachable, _lastContact, _unreachableSince, _lastError, agentCalls.CircuitOf(Id)),
        };
    }

    private static void Count(string action) =>
        ControlPlaneTelemetry.ReconcileActions.Add(1, new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Action, action));

    [LoggerMessage(Level = LogLevel.Information, Message = "Server {ServerId} is now {Lifecycle} ({Reason})")]
    private static partial void LogLifecycle(ILogger logger, string serverId, ServerLifecycle lifecycle, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {ServerId} declared failed: its agent did not answer for {FailAfter} ({Error})")]
    private static partial void LogDeclaredFailed(ILogger logger, string serverId, TimeSpan failAfter, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} was lost by the agent of server {ServerId}; re-creating it")]
    private static partial void LogInstanceLost(ILogger logger, string instanceId, string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-creating instance {InstanceId} on server {ServerId} failed; the next pass retries")]
    private static partial void LogRecreateFailed(ILogger logger, Exception exception, string instanceId, string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting stray instance {InstanceId} on server {ServerId} failed; the next pass retries")]
    private static partial void LogStrayDeleteFailed(ILogger logger, Exception exception, string instanceId, string serverId);
}
