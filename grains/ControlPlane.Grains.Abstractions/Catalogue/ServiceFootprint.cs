namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary><see cref="Count"/> instances of <see cref="Size"/> that one ordered service runs on, each on its own server.</summary>
[GenerateSerializer, Immutable, Alias("cp.ServiceFootprint")]
public sealed record ServiceFootprint(
    [property: Id(0)] string Size,
    [property: Id(1)] int Count);
