using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Servers;

namespace ControlPlane.Grains.Abstractions.Servers;

[GenerateSerializer, Immutable, Alias("cp.ServerSummary")]
public sealed record ServerSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Zone,
    [property: Id(2)] string Sku,
    [property: Id(3)] string GpuModel,
    [property: Id(4)] ResourceAmount Capacity,
    [property: Id(5)] ResourceAmount Free,
    [property: Id(6)] int InstanceCount,
    [property: Id(7)] ServerLifecycle Lifecycle = ServerLifecycle.Active,
    [property: Id(8)] bool AgentReachable = true);
