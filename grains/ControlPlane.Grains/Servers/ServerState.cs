using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Servers;

namespace ControlPlane.Grains.Servers;

[GenerateSerializer, Alias("cp.ServerState")]
public sealed class ServerState
{
    [Id(0)] public Dictionary<string, ServerAllocation> Allocations { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public ServerLifecycle Lifecycle { get; set; } = ServerLifecycle.Active;
    [Id(2)] public string LifecycleReason { get; set; } = "";

    /// <summary>The drain operation the server is DRAINING under, or that drained it last; empty once a drain is interrupted.</summary>
    [Id(3)] public string DrainOperationId { get; set; } = "";

    /// <summary>True once the server emptied under <see cref="DrainOperationId"/>.</summary>
    [Id(4)] public bool DrainDone { get; set; }
}
