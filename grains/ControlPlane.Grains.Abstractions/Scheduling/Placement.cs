namespace ControlPlane.Grains.Abstractions.Scheduling;

[GenerateSerializer, Immutable, Alias("cp.Placement")]
public sealed record Placement(
    [property: Id(0)] string Zone,
    [property: Id(1)] string ServerId);
