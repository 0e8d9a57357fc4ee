using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>Everything the gateway needs to resolve callers: principals, their roles, the seal. Versioned.</summary>
[GenerateSerializer, Immutable, Alias("cp.AccessSnapshot")]
public sealed record AccessSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] bool Sealed,
    [property: Id(2)] ImmutableDictionary<string, PrincipalRecord> Principals,
    [property: Id(3)] ImmutableArray<RoleAssignment> Assignments)
{
    public ImmutableArray<ScopedRole> RolesOf(string principal) =>
        [.. Assignments.Where(a => a.Principal == principal).Select(a => new ScopedRole(a.Role, a.Scope))];
}
