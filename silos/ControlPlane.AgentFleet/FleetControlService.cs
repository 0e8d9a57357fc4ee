using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.AgentFleet;

/// <summary>Run-time fault injection for tests and operators' drills.</summary>
public sealed class FleetControlService(FleetState fleet) : FleetControl.FleetControlBase
{
    public override Task<FleetFaults> GetFaults(GetFaultsRequest request, ServerCallContext context) => Task.FromResult(fleet.Faults);

    public override Task<FleetFaults> SetFaults(FleetFaults request, ServerCallContext context)
    {
        if (request.ErrorRate is < 0 or > 1 || request.TimeoutRate is < 0 or > 1 || request.ErrorRate + request.TimeoutRate > 1)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "error_rate and timeout_rate are shares between 0 and 1, together at most 1"));
        if (request.MinLatencyMs < 0 || request.MaxLatencyMs < request.MinLatencyMs)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "latency bounds must satisfy 0 <= min_latency_ms <= max_latency_ms"));
        fleet.Faults = request.Clone();
        return Task.FromResult(fleet.Faults);
    }

    public override Task<FleetStatus> SetDead(SetDeadRequest request, ServerCallContext context)
    {
        fleet.SetDead(request.ServerIds, request.Zones, request.Dead);
        return Task.FromResult(fleet.Status());
    }

    public override Task<FleetStatus> VanishInstances(VanishInstancesRequest request, ServerCallContext context)
    {
        fleet.Vanish(request.InstanceIds);
        return Task.FromResult(fleet.Status());
    }

    public override Task<RackServersResponse> RackServers(RackServersRequest request, ServerCallContext context) =>
        Task.FromResult(new RackServersResponse
        {
            Servers = fleet.Rack(request.Region, request.Zone, request.Datacentre,
                request.Racks.Select(g => new ControlPlane.Domain.Topology.RackGroup(g.Sku, g.Racks, g.ServersPerRack))),
        });

    public override Task<FleetStatus> GetStatus(GetStatusRequest request, ServerCallContext context) => Task.FromResult(fleet.Status());
}
