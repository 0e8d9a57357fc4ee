using ControlPlane.Domain.Capacity;

namespace ControlPlane.Grains.Abstractions.Tenants;

[GenerateSerializer, Immutable, Alias("cp.TenantInfo")]
public sealed record TenantInfo(
    [property: Id(0)] TenantSpec Spec,
    [property: Id(1)] ResourceAmount Usage,
    [property: Id(2)] int InstanceCount,
    [property: Id(3)] DateTimeOffset CreateTime);
