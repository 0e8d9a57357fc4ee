using ControlPlane.Grains.Abstractions.Instances;

namespace ControlPlane.Grains.Agents;

/// <summary>
/// How the control plane asks a server's agent (hypervisor or bare-metal controller) to act.
/// A transient failure throws; the caller decides whether to retry. Create and delete are
/// idempotent by instance id.
/// </summary>
public interface IServerAgentClient
{
    /// <summary>Runs the instance at its generation; <paramref name="migrateFromServerId"/> names the server it moves from live, if any.</summary>
    Task CreateInstanceAsync(string serverId, InstanceInfo instance, string migrateFromServerId, CancellationToken cancellationToken);

    Task DeleteInstanceAsync(string serverId, string instanceId, CancellationToken cancellationToken);

    /// <summary>The ids of the instances the server actually runs.</summary>
    Task<IReadOnlySet<string>> ListInstancesAsync(string serverId, CancellationToken cancellationToken);
}
