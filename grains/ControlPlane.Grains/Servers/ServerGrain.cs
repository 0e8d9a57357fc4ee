using System.Collections.Immutable;
using ControlPlane.Domain.Servers;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Zones;
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
/// One file per concern: allocations, lifecycle, reconciliation, evacuation and agent reachability.
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
    [PersistentState(ServerState.Name, StorageNames.State)] IPersistentState<ServerState> state) : Grain, IServerGrain
{
    private ServerSpec Spec => topology.FindServer(this.GetPrimaryKeyString()) ?? throw Failures.ServerNotFound(this.GetPrimaryKeyString());
    private string Id => this.GetPrimaryKeyString();
    /// <summary>The lifecycle state; reading it first checks that the server exists, so nothing is written for an unknown id.</summary>
    private ServerLifecycle Lifecycle => Spec is not null ? state.State.Lifecycle : ServerLifecycle.Active;
    private bool Schedulable => Lifecycle == ServerLifecycle.Active && _agent.Reachable;

    /// <summary>A server racked a moment ago may be unknown to this silo yet: catch up before any call reads its spec.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await sync.FindServerAsync(Id);

    public Task<ServerDetails> GetAsync() => Task.FromResult(Details());

    public Task<ServerUsage> GetUsageAsync() => Task.FromResult(Usage());

    private void ReportToZone() => GrainFactory.GetGrain<IZoneGrain>(Spec.Zone).ServerChangedAsync(Id).Ignore();

    private ServerUsage Usage() => state.State.UsageOn(Spec, _agent.Reachable);

    private ServerDetails Details()
    {
        var spec = Spec;
        return new ServerDetails(spec.Id, spec.Zone, spec.Region, spec.Datacentre, spec.Rack, spec.Sku, spec.GpuModel,
            spec.Capacity, Allocated, [.. state.State.Allocations.Values.OrderBy(a => a.InstanceId, StringComparer.Ordinal)])
        {
            Lifecycle = Lifecycle,
            LifecycleReason = state.State.LifecycleReason,
            Agent = AgentStatus(),
            DrainOperationId = state.State.DrainOperationId,
            DrainDone = state.State.DrainDone,
        };
    }

    private static void Count(string action) =>
        ControlPlaneTelemetry.ReconcileActions.Add(1, new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Action, action));
}
