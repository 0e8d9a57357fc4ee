namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>One answer of "who can act on this resource" or "what can this principal act on": a principal, a role, a scope, and what it allows there.</summary>
[GenerateSerializer, Immutable, Alias("cp.AccessEntry")]
public sealed record AccessEntry(
    [property: Id(0)] string Principal,
    [property: Id(1)] Role Role,
    [property: Id(2)] string Scope,
    [property: Id(3)] string Allows,
    [property: Id(4)] string Condition);
