using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Servers;

/// <summary>
/// Reconciliation with the agent, in order: probe what it runs (beside the grain), then either declare
/// the server failed after a long silence, or correct the difference (re-create lost instances, delete
/// strays, release allocations nobody owns); then carry on any evacuation (and a drain's operation) and tell the zone.
/// </summary>
public sealed partial class ServerGrain
{
    private static readonly TimeSpan ProbeGiveUp = TimeSpan.FromMinutes(1);

    /// <summary>When the probe in flight started; a probe whose answer never came back (lost message) is given up after a minute.</summary>
    private DateTimeOffset? _probeStarted;

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
            if (_agent.SilentFor(options.Value.FailAfter, clock.GetUtcNow())
                && ServerLifecycleTable.Decide(ServerLifecycleCommand.MarkFailed, Lifecycle).To is not null)
            {
                // Many agents of the zone silent at once: the network or the fleet, not the servers; stay suspect.
                if (await GrainFactory.GetGrain<IZoneGrain>(Spec.Zone).MayFailBySilenceAsync(Id))
                {
                    LogDeclaredFailed(logger, Id, options.Value.FailAfter, probe.Error);
                    await FailAsync("AgentUnreachable");
                    return;
                }
                Count("failure_withheld");
            }
        }
        else
        {
            // A failed server that answers again gets its strays removed, but nothing re-created on it.
            await CorrectAsync(probe, recreate: Lifecycle != ServerLifecycle.Failed);
        }
        if (ServerLifecycleTable.Evacuates(Lifecycle)) await StartMovesAsync();
        if (Lifecycle == ServerLifecycle.Draining) await EnsureDrainOperationAsync();
        if (wasSchedulable != Schedulable || ServerLifecycleTable.Evacuates(Lifecycle)) ReportToZone();
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
            _ = Task.Run(() =>
            {
                using var system = CallerContext.AsSystem("server-reconcile");
                return work();
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {ServerId} declared failed: its agent did not answer for {FailAfter} ({Error})")]
    private static partial void LogDeclaredFailed(ILogger logger, string serverId, TimeSpan failAfter, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId} was lost by the agent of server {ServerId}; re-creating it")]
    private static partial void LogInstanceLost(ILogger logger, string instanceId, string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-creating instance {InstanceId} on server {ServerId} failed; the next pass retries")]
    private static partial void LogRecreateFailed(ILogger logger, Exception exception, string instanceId, string serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting stray instance {InstanceId} on server {ServerId} failed; the next pass retries")]
    private static partial void LogStrayDeleteFailed(ILogger logger, Exception exception, string instanceId, string serverId);
}
