using System.Collections.Concurrent;
using ControlPlane.Grains.Abstractions.Instances;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Agents;

/// <summary>Simulated agents for every server, in process: they stand for the hardware.</summary>
public sealed class SimulatedServerAgentClient(IOptions<SimulatedAgentOptions> options) : IServerAgentClient
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _servers = new(StringComparer.Ordinal);

    public async Task CreateInstanceAsync(string serverId, InstanceInfo instance, string migrateFromServerId, CancellationToken cancellationToken)
    {
        await Delay(cancellationToken);
        Server(serverId)[instance.Id] = true;
    }

    public async Task DeleteInstanceAsync(string serverId, string instanceId, CancellationToken cancellationToken)
    {
        await Delay(cancellationToken);
        Server(serverId).TryRemove(instanceId, out _);
    }

    public async Task<IReadOnlySet<string>> ListInstancesAsync(string serverId, CancellationToken cancellationToken)
    {
        await Delay(cancellationToken);
        return Server(serverId).Keys.ToHashSet(StringComparer.Ordinal);
    }

    private ConcurrentDictionary<string, bool> Server(string serverId) =>
        _servers.GetOrAdd(serverId, _ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));

    private Task Delay(CancellationToken cancellationToken) =>
        options.Value.Latency > TimeSpan.Zero ? Task.Delay(options.Value.Latency, cancellationToken) : Task.CompletedTask;
}
