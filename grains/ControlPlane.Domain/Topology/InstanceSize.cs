using ControlPlane.Domain.Capacity;

namespace ControlPlane.Domain.Topology;

/// <summary>A vendor-style instance size, e.g. Standard_D2s_v5.</summary>
public sealed record InstanceSize(
    string Name,
    string Family,
    ResourceAmount Resources,
    string GpuModel);
