using ControlPlane.Domain.Capacity;

namespace ControlPlane.Grains.Abstractions.DisasterRecovery;

/// <summary>
/// One protected instance: what it needs, and the capacity reserved for it in the disaster-recovery
/// region (<see cref="ReservedServerId"/> empty when there is none; <see cref="Problem"/> says why).
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.DrProtection")]
public sealed record DrProtection(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Size,
    [property: Id(3)] ResourceAmount Resources,
    [property: Id(4)] string GpuModel,
    [property: Id(5)] string DrRegion,
    [property: Id(6)] string ReservedZone,
    [property: Id(7)] string ReservedServerId,
    [property: Id(8)] string Problem)
{
    public bool IsReserved => ReservedServerId.Length > 0;
}
