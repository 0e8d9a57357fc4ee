using System.Collections.Immutable;
using ControlPlane.Domain.Topology;

namespace ControlPlane.Grains.Abstractions.Topology;

/// <summary>Adds a zone in <see cref="Datacentre"/> to a region, with its racks of servers.</summary>
[GenerateSerializer, Immutable, Alias("cp.AddZoneCommand")]
public sealed record AddZoneCommand(
    [property: Id(0)] string Region,
    [property: Id(1)] string Zone,
    [property: Id(2)] string Datacentre,
    [property: Id(3)] ImmutableArray<RackGroup> Racks);
