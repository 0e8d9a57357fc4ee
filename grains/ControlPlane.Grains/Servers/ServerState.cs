using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Servers;

namespace ControlPlane.Grains.Servers;

[GenerateSerializer, Alias("cp.ServerState")]
public sealed class ServerState
{
    [Id(0)] public Dictionary<string, ServerAllocation> Allocations { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public ServerLifecycle Lifecycle { get; set; } = ServerLifecycle.Active;
    [Id(2)] public string LifecycleReason { get; set; } = "";
}
