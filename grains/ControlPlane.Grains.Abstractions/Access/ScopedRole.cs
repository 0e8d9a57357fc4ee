namespace ControlPlane.Grains.Abstractions.Access;

[GenerateSerializer, Immutable, Alias("cp.ScopedRole")]
public sealed record ScopedRole(
    [property: Id(0)] Role Role,
    [property: Id(1)] string Scope);
