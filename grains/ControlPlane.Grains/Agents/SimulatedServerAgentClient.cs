using System.Collections.Concurrent;
using ControlPlane.Model;
using Microsoft.Extensions.Options;

namespace ControlPlane.Agents;

/// <summary>Simulated agents for every server, in process: they stand for the hardware.</summary>
public sealed class SimulatedServerAgentClient(IOptions<SimulatedAgentOptions> options) : IServerAgentClient
{
    private readonly ConcurrentDictionary<string, string> _running = new(StringComparer.Ordinal);

    public async Task CreateInstanceAsync(string serverId, InstanceInfo instance, CancellationToken cancellationToken)
    {
        await Delay(cancellationToken);
        _running[instance.Id] = serverId;
    }

    public async Task DeleteInstanceAsync(string serverId, string instanceId, CancellationToken cancellationToken)
    {
        await Delay(cancellationToken);
        _running.TryRemove(instanceId, out _);
    }

    private Task Delay(CancellationToken cancellationToken) =>
        options.Value.Latency > TimeSpan.Zero ? Task.Delay(options.Value.Latency, cancellationToken) : Task.CompletedTask;
}
