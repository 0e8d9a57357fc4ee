using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.AgentFleet;

/// <summary>The agent of every simulated server: the same contract a real agent serves.</summary>
public sealed class AgentService(FleetState fleet) : Agent.AgentBase
{
    public override async Task<AgentInstance> CreateInstance(AgentCreateInstanceRequest request, ServerCallContext context)
    {
        var server = await fleet.CallAsync(request.ServerId, context.CancellationToken);
        return server.AddOrUpdate(request.InstanceId,
            _ => New(request),
            (_, existing) => existing.Generation >= request.Generation ? existing : New(request));
    }

    public override async Task<AgentDeleteInstanceResponse> DeleteInstance(AgentDeleteInstanceRequest request, ServerCallContext context)
    {
        var server = await fleet.CallAsync(request.ServerId, context.CancellationToken);
        return new AgentDeleteInstanceResponse { Existed = server.TryRemove(request.InstanceId, out _) };
    }

    public override async Task<AgentListInstancesResponse> ListInstances(AgentListInstancesRequest request, ServerCallContext context)
    {
        var server = await fleet.CallAsync(request.ServerId, context.CancellationToken);
        var response = new AgentListInstancesResponse();
        response.Instances.AddRange(server.Values.OrderBy(i => i.InstanceId, StringComparer.Ordinal));
        return response;
    }

    public override async Task<AgentHeartbeatResponse> Heartbeat(AgentHeartbeatRequest request, ServerCallContext context)
    {
        var server = await fleet.CallAsync(request.ServerId, context.CancellationToken);
        return new AgentHeartbeatResponse { ServerId = request.ServerId, InstanceCount = server.Count };
    }

    private static AgentInstance New(AgentCreateInstanceRequest r) => new()
    {
        InstanceId = r.InstanceId, ServerId = r.ServerId, TenantId = r.TenantId, Size = r.Size, Resources = r.Resources, Generation = r.Generation,
    };
}
