using ControlPlane.Model;

namespace ControlPlane.Agents;

/// <summary>
/// How the control plane asks a server's agent (hypervisor or bare-metal controller) to act.
/// A transient failure throws; the caller decides whether to retry.
/// </summary>
public interface IServerAgentClient
{
    Task CreateInstanceAsync(string serverId, InstanceInfo instance, CancellationToken cancellationToken);
    Task DeleteInstanceAsync(string serverId, string instanceId, CancellationToken cancellationToken);
}
