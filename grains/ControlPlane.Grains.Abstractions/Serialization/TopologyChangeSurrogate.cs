using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using Orleans.Serialization.Cloning;

namespace ControlPlane.Grains.Abstractions.Serialization;

/// <summary>How <see cref="TopologyChange"/>, a type of the pure domain library, crosses between grains and silos.</summary>
[GenerateSerializer, Immutable, Alias("cp.TopologyChange")]
public readonly record struct TopologyChangeSurrogate(
    [property: Id(0)] long Version,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] TopologyChangeKind Kind,
    [property: Id(3)] string Actor,
    [property: Id(4)] string Reason,
    [property: Id(5)] string Region,
    [property: Id(6)] string Zone,
    [property: Id(7)] string Datacentre,
    [property: Id(8)] ImmutableArray<RackGroup> Racks,
    [property: Id(9)] RegionRole Role);

[RegisterConverter]
public sealed class TopologyChangeConverter : IConverter<TopologyChange, TopologyChangeSurrogate>
{
    public TopologyChange ConvertFromSurrogate(in TopologyChangeSurrogate s) =>
        new(s.Version, s.At, s.Kind, s.Actor, s.Reason, s.Region, s.Zone, s.Datacentre, s.Racks, s.Role);

    public TopologyChangeSurrogate ConvertToSurrogate(in TopologyChange v) =>
        new(v.Version, v.At, v.Kind, v.Actor, v.Reason, v.Region, v.Zone, v.Datacentre, v.Racks, v.Role);
}

[RegisterCopier]
public sealed class TopologyChangeCopier : ShallowCopier<TopologyChange>;
