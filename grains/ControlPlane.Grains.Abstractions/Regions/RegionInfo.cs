using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;

namespace ControlPlane.Grains.Abstractions.Regions;

[GenerateSerializer, Immutable, Alias("cp.RegionInfo")]
public sealed record RegionInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] RegionRole Role,
    [property: Id(3)] string OpsCentre,
    [property: Id(4)] ImmutableArray<string> Zones,
    [property: Id(5)] ResourceAmount Total,
    [property: Id(6)] ResourceAmount Free,
    [property: Id(7)] int ServerCount)
{
    /// <summary>ISO 3166-1 alpha-2 code of the region's country.</summary>
    [Id(8)] public string Country { get; init; } = "";
}
