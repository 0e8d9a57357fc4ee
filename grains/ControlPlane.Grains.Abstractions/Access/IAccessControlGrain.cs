using System.Collections.Immutable;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// Principals, role assignments and the platform's seal (one grain, key <see cref="Key"/>). Every
/// change is checked against the caller in the request context: only security officers change it,
/// and unsealing needs a four-eyes approval.
/// </summary>
public interface IAccessControlGrain : IGrainWithStringKey
{
    const string Key = "platform";

    Task<PrincipalRecord> RegisterPrincipalAsync(PrincipalRecord principal);

    /// <summary>Refused (INCOMPATIBLE_ROLES) when the principal holds a role the policy says cannot go with this one on an overlapping scope.</summary>
    Task<RoleAssignment> AssignRoleAsync(string principal, Role role, string scope);

    Task RevokeRoleAsync(string principal, Role role, string scope);

    /// <summary>Dry runs: the checks of <see cref="RegisterPrincipalAsync"/>, <see cref="AssignRoleAsync"/> and <see cref="RevokeRoleAsync"/>, storing nothing; the record as it would be.</summary>
    [ReadOnly]
    Task<PrincipalRecord> CheckRegisterPrincipalAsync(PrincipalRecord principal);

    [ReadOnly]
    Task<RoleAssignment> CheckAssignRoleAsync(string principal, Role role, string scope);

    [ReadOnly]
    Task CheckRevokeRoleAsync(string principal, Role role, string scope);

    Task<bool> SealAsync();

    /// <summary>Needs an approved UnsealPlatform request of the caller (its id in the caller's approval id).</summary>
    Task<bool> UnsealAsync();

    /// <summary>Dry runs: the checks of <see cref="SealAsync"/> and <see cref="UnsealAsync"/> (its approval checked, not used), changing nothing; the seal as it would be.</summary>
    [ReadOnly]
    Task<bool> CheckSealAsync();

    [ReadOnly]
    Task<bool> CheckUnsealAsync();

    [AlwaysInterleave, ReadOnly]
    Task<AccessSnapshot> GetSnapshotAsync();

    /// <summary>The version only: a gateway's cache asks it to know whether its snapshot is current.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<long> GetVersionAsync();

    /// <summary>Who can act on <paramref name="scope"/> ("region:x", "tenant:y", "platform"), with which role, under which condition.</summary>
    [ReadOnly]
    Task<ImmutableArray<AccessEntry>> WhoCanAsync(string scope);

    /// <summary>What <paramref name="principal"/> can act on, with which role, under which condition.</summary>
    [ReadOnly]
    Task<ImmutableArray<AccessEntry>> WhatCanAsync(string principal);

    /// <summary>Registers the configured first principals and their roles, once (idempotent; no caller checks: the silo runs it at start).</summary>
    Task BootstrapAsync(ImmutableArray<PrincipalRecord> principals, ImmutableArray<RoleAssignment> assignments);
}
