using ControlPlane.Domain.Capacity;

namespace ControlPlane.Grains.Abstractions.Tenants;

/// <summary>What a tenant keeps of each of its instances: enough for quota and name uniqueness.</summary>
[GenerateSerializer, Immutable, Alias("cp.TenantInstance")]
public sealed record TenantInstance(
    [property: Id(0)] string Name,
    [property: Id(1)] ResourceAmount Resources);
