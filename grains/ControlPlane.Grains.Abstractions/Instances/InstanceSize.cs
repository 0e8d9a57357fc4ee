using ControlPlane.Grains.Abstractions.Scheduling;

namespace ControlPlane.Grains.Abstractions.Instances;

/// <summary>A vendor-style instance size, e.g. Standard_D2s_v5.</summary>
[GenerateSerializer, Immutable, Alias("cp.InstanceSize")]
public sealed record InstanceSize(
    [property: Id(0)] string Name,
    [property: Id(1)] string Family,
    [property: Id(2)] ResourceAmount Resources,
    [property: Id(3)] string GpuModel);
