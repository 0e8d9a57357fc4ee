using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;

namespace ControlPlane.Grains.Abstractions.Zones;

/// <summary>A zone; <see cref="ServedBy"/> names the silo (and its ops centre) where the zone's grain runs.</summary>
[GenerateSerializer, Immutable, Alias("cp.ZoneInfo")]
public sealed record ZoneInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Region,
    [property: Id(2)] string Datacentre,
    [property: Id(3)] ResourceAmount Total,
    [property: Id(4)] ResourceAmount Free,
    [property: Id(5)] int ServerCount,
    [property: Id(6)] int InstanceCount,
    [property: Id(7)] string ServedBy = "",
    [property: Id(8)] string ServedByOpsCentre = "",
    [property: Id(9)] ZoneState State = ZoneState.Active);
