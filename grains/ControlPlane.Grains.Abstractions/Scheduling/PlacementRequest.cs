using ControlPlane.Domain.Capacity;

namespace ControlPlane.Grains.Abstractions.Scheduling;

/// <summary>
/// Where to place an instance. <see cref="Zone"/> pins a zone when <see cref="ZoneIsPreference"/> is
/// false, and is only tried first when it is true (a move: same zone first, then the region).
/// <see cref="AvoidServerId"/> is a server the instance must leave. <see cref="AntiAffinityGroup"/>
/// (a key unique across tenants) keeps the instance off servers — or, with
/// <see cref="AntiAffinityZones"/>, out of zones — that hold another member of the group.
/// <see cref="Reservation"/> holds capacity for a disaster-recovery reservation; <see cref="PreferServerId"/>
/// is tried first (a failover landing on its reservation); <see cref="Recovery"/> marks a placement made
/// by disaster recovery (a reservation, a failover or a failback), which a disaster-recovery region accepts.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.PlacementRequest")]
public sealed record PlacementRequest(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Size,
    [property: Id(3)] ResourceAmount Resources,
    [property: Id(4)] string GpuModel,
    [property: Id(5)] string Zone,
    [property: Id(6)] string AvoidServerId = "",
    [property: Id(7)] bool ZoneIsPreference = false,
    [property: Id(8)] string AntiAffinityGroup = "",
    [property: Id(9)] bool AntiAffinityZones = false,
    [property: Id(10)] bool Reservation = false,
    [property: Id(11)] string PreferServerId = "",
    [property: Id(12)] bool Recovery = false);
