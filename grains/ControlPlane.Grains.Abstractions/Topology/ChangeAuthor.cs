namespace ControlPlane.Grains.Abstractions.Topology;

/// <summary>Who asks for a change and why; recorded with it.</summary>
[GenerateSerializer, Immutable, Alias("cp.ChangeAuthor")]
public sealed record ChangeAuthor(
    [property: Id(0)] string Actor,
    [property: Id(1)] string Reason);
