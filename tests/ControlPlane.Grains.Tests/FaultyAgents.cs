using System.Collections.Concurrent;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Agents;

namespace ControlPlane.Grains.Tests;

/// <summary>
/// The simulated agents, except on the servers a test breaks: there every create and delete fails
/// (after its retries, a failure for good), while the probe still answers, so the server stays reachable.
/// </summary>
public sealed class FaultyAgents(SimulatedServerAgentClient agents) : IServerAgentClient
{
    private readonly ConcurrentDictionary<string, bool> _broken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);

    /// <summary>Breaks the agent of <paramref name="serverId"/> until the result is disposed.</summary>
    public IDisposable Break(string serverId)
    {
        _broken[serverId] = true;
        return new Repair(() => _broken.TryRemove(serverId, out _));
    }

    /// <summary>Makes the creates on <paramref name="serverId"/> wait until the result is disposed.</summary>
    public IDisposable Hold(string serverId)
    {
        var gate = _held[serverId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new Repair(() =>
        {
            _held.TryRemove(serverId, out _);
            gate.TrySetResult();
        });
    }

    public async Task CreateInstanceAsync(string serverId, InstanceInfo instance, string migrateFromServerId, CancellationToken cancellationToken)
    {
        if (_held.TryGetValue(serverId, out var gate)) await gate.Task;
        await (_broken.ContainsKey(serverId) ? Broken(serverId) : agents.CreateInstanceAsync(serverId, instance, migrateFromServerId, cancellationToken));
    }

    public Task DeleteInstanceAsync(string serverId, string instanceId, CancellationToken cancellationToken) =>
        _broken.ContainsKey(serverId) ? Broken(serverId) : agents.DeleteInstanceAsync(serverId, instanceId, cancellationToken);

    public Task<IReadOnlySet<string>> ListInstancesAsync(string serverId, CancellationToken cancellationToken) =>
        agents.ListInstancesAsync(serverId, cancellationToken);

    private static Task Broken(string serverId) => Task.FromException(new IOException($"the agent of server '{serverId}' is broken (test)"));

    private sealed class Repair(Action repair) : IDisposable
    {
        public void Dispose() => repair();
    }
}
