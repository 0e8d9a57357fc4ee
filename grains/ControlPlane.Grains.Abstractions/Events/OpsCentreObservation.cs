using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Events;

/// <summary>
/// What one silo saw of an ops centre in cluster membership: whether it has an active silo
/// (<see cref="Present"/>), when this silo first saw that, and which centres had active silos then.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.OpsCentreObservation")]
public sealed record OpsCentreObservation(
    [property: Id(0)] string OpsCentre,
    [property: Id(1)] bool Present,
    [property: Id(2)] DateTimeOffset ObservedAt,
    [property: Id(3)] string ObservedBy,
    [property: Id(4)] string ObserverOpsCentre,
    [property: Id(5)] ImmutableArray<string> ActiveOpsCentres);
