using ControlPlane.Domain.Capacity;

namespace ControlPlane.Domain.Topology;

public sealed record ServerSpec(
    string Id, string Zone, string Region, string Datacentre, string Rack,
    string Sku, string GpuModel, ResourceAmount Capacity);
