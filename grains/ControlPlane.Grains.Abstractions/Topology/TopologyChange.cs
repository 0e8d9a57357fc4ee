using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Regions;

namespace ControlPlane.Grains.Abstractions.Topology;

/// <summary>
/// One entry of the append-only topology change log. <see cref="Version"/> counts from 1 without gaps;
/// the topology at version n is the seed file with changes 1..n applied in order. Fields a kind does
/// not use are empty.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.TopologyChange")]
public sealed record TopologyChange(
    [property: Id(0)] long Version,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] TopologyChangeKind Kind,
    [property: Id(3)] string Actor,
    [property: Id(4)] string Reason,
    [property: Id(5)] string Region,
    [property: Id(6)] string Zone = "",
    [property: Id(7)] string Datacentre = "",
    ImmutableArray<RackGroup> Racks = default,
    [property: Id(9)] RegionRole Role = RegionRole.Production)
{
    /// <summary>The racks an AddZone brought; empty (never default, so the JSON of the durable mode holds it) otherwise.</summary>
    [Id(8)] public ImmutableArray<RackGroup> Racks { get; init; } = Racks.IsDefault ? [] : Racks;
}
