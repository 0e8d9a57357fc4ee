using System.Collections.Immutable;

namespace ControlPlane.Domain.Topology;

/// <summary>
/// One entry of the append-only topology change log. <see cref="Version"/> counts from 1 without gaps;
/// the topology at version n is the seed file with changes 1..n applied in order. Fields a kind does
/// not use are empty.
/// </summary>
public sealed record TopologyChange(
    long Version,
    DateTimeOffset At,
    TopologyChangeKind Kind,
    string Actor,
    string Reason,
    string Region,
    string Zone = "",
    string Datacentre = "",
    ImmutableArray<RackGroup> Racks = default,
    RegionRole Role = RegionRole.Production)
{
    /// <summary>The racks an AddZone brought; empty (never default, so the JSON of the durable mode holds it) otherwise.</summary>
    public ImmutableArray<RackGroup> Racks { get; init; } = Racks.IsDefault ? [] : Racks;
}
