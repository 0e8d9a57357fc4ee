using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Events;

/// <summary>
/// One record of the event log. <see cref="OpsCentre"/> is the centre lost (takeover) or back
/// (return); <see cref="TakenOverBy"/> the centres whose silos host its regions' grains meanwhile.
/// <see cref="DetectedAt"/> is when a silo first saw the change in cluster membership (the centre's
/// last silo declared dead, or its first silo active again); <see cref="Delay"/> runs from then to
/// <see cref="Time"/>, when the event was recorded.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.PlatformEvent")]
public sealed record PlatformEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] PlatformEventKind Kind,
    [property: Id(3)] string OpsCentre,
    [property: Id(4)] ImmutableArray<string> TakenOverBy,
    [property: Id(5)] ImmutableArray<string> Regions,
    [property: Id(6)] string DetectedBy,
    [property: Id(7)] DateTimeOffset DetectedAt,
    [property: Id(8)] TimeSpan Delay);
