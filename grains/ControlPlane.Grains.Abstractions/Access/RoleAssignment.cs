namespace ControlPlane.Grains.Abstractions.Access;

[GenerateSerializer, Immutable, Alias("cp.RoleAssignment")]
public sealed record RoleAssignment(
    [property: Id(0)] string Principal,
    [property: Id(1)] Role Role,
    [property: Id(2)] string Scope,
    [property: Id(3)] DateTimeOffset AssignedAt,
    [property: Id(4)] string AssignedBy);
