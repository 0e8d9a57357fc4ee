using ControlPlane.Contracts.V1;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Agents;
using Grpc.Net.Client;

namespace ControlPlane.Silo.Agents;

/// <summary>
/// Calls server agents over the Agent gRPC contract (a real agent or the simulated fleet).
/// Failures surface as exceptions; retries, timeouts and circuit breaking are the caller's
/// Polly pipeline's.
/// </summary>
public sealed class GrpcServerAgentClient(GrpcChannel channel) : IServerAgentClient
{
    private readonly Agent.AgentClient _agents = new(channel);

    public async Task CreateInstanceAsync(string serverId, InstanceInfo instance, string migrateFromServerId, CancellationToken cancellationToken) =>
        await _agents.CreateInstanceAsync(new AgentCreateInstanceRequest
        {
            ServerId = serverId, InstanceId = instance.Id, TenantId = instance.TenantId, Size = instance.Size,
            Generation = instance.Generation, MigrateFromServerId = migrateFromServerId,
            Resources = new Resources { Cores = instance.Resources.Cores, MemoryMib = instance.Resources.MemoryMib, Gpus = instance.Resources.Gpus },
        }, cancellationToken: cancellationToken);

    public async Task DeleteInstanceAsync(string serverId, string instanceId, CancellationToken cancellationToken) =>
        await _agents.DeleteInstanceAsync(new AgentDeleteInstanceRequest { ServerId = serverId, InstanceId = instanceId }, cancellationToken: cancellationToken);

    public async Task<IReadOnlySet<string>> ListInstancesAsync(string serverId, CancellationToken cancellationToken)
    {
        var response = await _agents.ListInstancesAsync(new AgentListInstancesRequest { ServerId = serverId }, cancellationToken: cancellationToken);
        return response.Instances.Select(i => i.InstanceId).ToHashSet(StringComparer.Ordinal);
    }
}
