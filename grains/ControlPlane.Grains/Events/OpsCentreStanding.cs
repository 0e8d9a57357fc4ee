using System.Collections.Immutable;

namespace ControlPlane.Grains.Events;

/// <summary>Whether an ops centre is taken over, by which centres, since which observation (its last recorded transition).</summary>
[GenerateSerializer, Immutable, Alias("cp.OpsCentreStanding")]
public sealed record OpsCentreStanding(
    [property: Id(0)] bool TakenOver,
    [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] ImmutableArray<string> TakenOverBy);
