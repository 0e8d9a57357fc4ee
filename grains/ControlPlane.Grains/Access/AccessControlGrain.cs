using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Access;

public sealed class AccessControlGrain(
    PlatformTopology topology,
    TimeProvider clock,
    IOptions<SecurityPolicyOptions> policy,
    [PersistentState("access", StorageNames.State)] IPersistentState<AccessControlState> state) : Grain, IAccessControlGrain
{
    private AccessSnapshot? _snapshot;

    private AccessControlState S => state.State;

    private bool Sealed => S.Sealed ?? policy.Value.SealedAtStart;

    public async Task<PrincipalRecord> RegisterPrincipalAsync(PrincipalRecord principal)
    {
        var (record, isNew) = CheckRegister(principal);
        if (!isNew) return record;
        S.Principals[record.Id] = record;
        await SaveAsync();
        return record;
    }

    public Task<PrincipalRecord> CheckRegisterPrincipalAsync(PrincipalRecord principal) => Task.FromResult(CheckRegister(principal).Record);

    /// <summary>The caller's right and the principal's fields, a free id or the same attributes: throws the refusal, else the record to store (or the stored one).</summary>
    private (PrincipalRecord Record, bool IsNew) CheckRegister(PrincipalRecord principal)
    {
        var caller = RequireManager();
        var centres = topology.Regions.Select(r => r.OpsCentre).ToHashSet(StringComparer.Ordinal);
        Validate.ThrowIfAny(
            ("id", Validate.Principal("id", principal.Id)),
            ("kind", principal.Kind is PrincipalKind.Person or PrincipalKind.Service ? null : "kind must be person or service"),
            ("employer", Employers.IsKnown(principal.Employer) ? null : $"employer must be '{Employers.Operator}' or '{Employers.Vendor}'"),
            ("ops_centre", principal.OpsCentre.Length == 0 || centres.Contains(principal.OpsCentre) ? null
                : $"ops_centre '{principal.OpsCentre}' is not one of {string.Join(", ", centres.Order(StringComparer.Ordinal))}"),
            ("display_name", principal.DisplayName.Length > 200 ? "display_name must be at most 200 characters" : null));
        if (S.Principals.TryGetValue(principal.Id, out var existing))
        {
            if (existing with { RegisteredAt = default, RegisteredBy = "" } == principal with { RegisteredAt = default, RegisteredBy = "" }) return (existing, false);
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.PrincipalExists,
                $"principal '{principal.Id}' is already registered with other attributes", (ErrorMetadata.Principal, principal.Id)).ToException();
        }
        return (principal with { RegisteredAt = clock.GetUtcNow(), RegisteredBy = caller?.Principal ?? "platform" }, true);
    }

    public async Task<RoleAssignment> AssignRoleAsync(string principal, Role role, string scope)
    {
        var (assignment, isNew) = CheckAssign(principal, role, scope);
        if (!isNew) return assignment;
        S.Assignments.Add(assignment);
        await SaveAsync();
        return assignment;
    }

    public Task<RoleAssignment> CheckAssignRoleAsync(string principal, Role role, string scope) => Task.FromResult(CheckAssign(principal, role, scope).Assignment);

    /// <summary>The caller's right, a registered principal, a valid scope and no incompatible role: throws the refusal, else the assignment to add (or the one held).</summary>
    private (RoleAssignment Assignment, bool IsNew) CheckAssign(string principal, Role role, string scope)
    {
        var caller = RequireManager();
        var record = Find(principal);
        ValidateAssignment(record, role, scope);
        if (S.Assignments.FirstOrDefault(a => a.Principal == principal && a.Role == role && a.Scope == scope) is { } same) return (same, false);
        var conflict = S.Assignments.FirstOrDefault(a => a.Principal == principal && Scopes.Overlap(a.Scope, scope)
            && policy.Value.IncompatiblePairs().Any(p => (p.A == role && p.B == a.Role) || (p.B == role && p.A == a.Role)));
        if (conflict is not null)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.IncompatibleRoles,
                $"'{principal}' is {Caller.Format(conflict.Role)} on {conflict.Scope}: the policy forbids also being {Caller.Format(role)} on {scope} (separation of duties)",
                (ErrorMetadata.Principal, principal), (ErrorMetadata.Role, Caller.Format(role)), (ErrorMetadata.Scope, scope),
                (ErrorMetadata.ConflictingRole, Caller.Format(conflict.Role)), (ErrorMetadata.ConflictingScope, conflict.Scope)).ToException();
        }
        return (new RoleAssignment(principal, role, scope, clock.GetUtcNow(), caller?.Principal ?? "platform"), true);
    }

    public async Task RevokeRoleAsync(string principal, Role role, string scope)
    {
        CheckRevoke(principal);
        if (S.Assignments.RemoveAll(a => a.Principal == principal && a.Role == role && a.Scope == scope) > 0) await SaveAsync();
    }

    public Task CheckRevokeRoleAsync(string principal, Role role, string scope)
    {
        CheckRevoke(principal);
        return Task.CompletedTask;
    }

    /// <summary>The caller's right and a registered principal (revoking a role it does not hold changes nothing): throws the refusal.</summary>
    private void CheckRevoke(string principal)
    {
        RequireManager();
        Find(principal);
    }

    public async Task<bool> SealAsync()
    {
        if (!PrepareSeal()) return true;
        S.Sealed = true;
        await SaveAsync();
        return true;
    }

    public Task<bool> CheckSealAsync()
    {
        PrepareSeal();
        return Task.FromResult(true);
    }

    /// <summary>The caller's right: throws the refusal, else whether the seal is to be written (false: already sealed).</summary>
    private bool PrepareSeal()
    {
        RequireManager();
        return S.Sealed != true;
    }

    public async Task<bool> UnsealAsync()
    {
        var (unseal, approval) = await PrepareUnsealAsync(claim: true);
        if (!unseal) return false;
        // Not stored (or, if the database committed before failing, a retry finds the platform unsealed and uses
        // nothing): either way the officer retries with the same approval rather than asking a second officer again.
        return await Guard.ActWithApprovalAsync(GrainFactory, approval, async () =>
        {
            S.Sealed = false;
            try
            {
                await SaveAsync();
            }
            catch
            {
                S.Sealed = true;
                throw;
            }
            return false;
        }, giveBack: e => e is ControlPlaneException { Error.Reason: ErrorReasons.StorageUnavailable });
    }

    public async Task<bool> CheckUnsealAsync()
    {
        await PrepareUnsealAsync(claim: false);
        return false;
    }

    /// <summary>
    /// The caller's right and, on a sealed platform, its four-eyes approval (claimed when <paramref name="claim"/>, only
    /// checked otherwise): throws the refusal, else whether the platform is to be unsealed and the approval to mark used.
    /// </summary>
    private async Task<(bool Unseal, ApprovalInfo? Approval)> PrepareUnsealAsync(bool claim)
    {
        RequireManager();
        if (!Sealed) return (false, null);
        return (true, await Guard.FourEyesAsync(GrainFactory, ApprovalAction.UnsealPlatform, Scopes.Platform, claim));
    }

    public Task<AccessSnapshot> GetSnapshotAsync() => Task.FromResult(_snapshot ??=
        new AccessSnapshot(S.Version, Sealed, S.Principals.ToImmutableDictionary(StringComparer.Ordinal), [.. S.Assignments]));

    public Task<long> GetVersionAsync() => Task.FromResult(S.Version);

    public async Task<ImmutableArray<AccessEntry>> WhoCanAsync(string scope)
    {
        AccessPolicy.Require(CallerContext.Current, Permission.ReadAudit, Scopes.Platform);
        Validate.ThrowIfAny(("scope", Scopes.IsValid(scope) ? null : "scope must be 'platform', 'region:<id>' or 'tenant:<id>'"));
        var entries = S.Assignments
            .Where(a => Scopes.Covers(a.Scope, scope) || (a.Role == Role.Operator && scope.StartsWith(Scopes.TenantPrefix, StringComparison.Ordinal)))
            .Select(a => Describe(a, scope)).ToList();
        if (scope.StartsWith(Scopes.TenantPrefix, StringComparison.Ordinal))
        {
            var now = clock.GetUtcNow();
            var grants = await GrainFactory.GetGrain<ILockboxGrain>(scope[Scopes.TenantPrefix.Length..]).ListAsync();
            var active = grants.Where(g => g.IsActiveAt(now)).ToDictionary(g => g.Principal, g => g, StringComparer.Ordinal);
            entries = [.. entries.Select(e => e.Role == Role.Operator && active.TryGetValue(e.Principal, out var g)
                ? e with { Condition = $"{(g.BreakGlass ? "break-glass" : "lockbox")} grant {g.Id} active until {g.ExpiresAt:O}" } : e)];
        }
        return [.. entries.OrderBy(e => e.Principal, StringComparer.Ordinal).ThenBy(e => e.Role)];
    }

    public Task<ImmutableArray<AccessEntry>> WhatCanAsync(string principal)
    {
        var caller = CallerContext.Current;
        if (caller?.Principal != principal) AccessPolicy.Require(caller, Permission.ReadAudit, Scopes.Platform);
        Find(principal);
        return Task.FromResult<ImmutableArray<AccessEntry>>(
            [.. S.Assignments.Where(a => a.Principal == principal).Select(a => Describe(a, a.Scope))]);
    }

    public async Task BootstrapAsync(ImmutableArray<PrincipalRecord> principals, ImmutableArray<RoleAssignment> assignments)
    {
        var changed = false;
        foreach (var p in principals.Where(p => !S.Principals.ContainsKey(p.Id)))
        {
            S.Principals[p.Id] = p;
            changed = true;
        }
        foreach (var a in assignments.Where(a => !S.Assignments.Any(e => e.Principal == a.Principal && e.Role == a.Role && e.Scope == a.Scope)))
        {
            S.Assignments.Add(a);
            changed = true;
        }
        if (changed) await SaveAsync();
    }

    private AccessEntry Describe(RoleAssignment a, string scope)
    {
        var record = S.Principals.GetValueOrDefault(a.Principal);
        var allows = string.Join(",", AccessPolicy.PermissionsOf(a.Role).Select(p => p.ToString()));
        var conditions = new List<string>();
        if (record?.Employer == Employers.Vendor && Sealed) conditions.Add("none while the platform is sealed (vendor)");
        if (a.Role is Role.Operator or Role.SecurityOfficer) conditions.Add("multi-factor sign-in, working from the EU");
        if (a.Role == Role.Operator)
        {
            var regions = scope.StartsWith(Scopes.RegionPrefix, StringComparison.Ordinal) ? [scope[Scopes.RegionPrefix.Length..]]
                : topology.Regions.Select(r => r.Id).ToArray();
            var piloted = regions.Where(r => topology.FindRegion(r)?.OpsCentre == record?.OpsCentre).ToArray();
            conditions.Add(piloted.Length > 0 ? $"administers {string.Join(", ", piloted)} (piloted by {record?.OpsCentre}); other regions only after a takeover"
                : $"administers regions only after a takeover of their pilot ({record?.OpsCentre ?? "no ops centre"})");
            if (scope.StartsWith(Scopes.TenantPrefix, StringComparison.Ordinal)) conditions.Add("tenant resources only with an active lockbox grant");
        }
        return new AccessEntry(a.Principal, a.Role, a.Scope, allows, string.Join("; ", conditions));
    }

    private void ValidateAssignment(PrincipalRecord record, Role role, string scope)
    {
        var problem = !Enum.IsDefined(role) ? "role is not a known role"
            : !Scopes.IsValid(scope) ? "scope must be 'platform', 'region:<id>' or 'tenant:<id>'"
            : scope.StartsWith(Scopes.RegionPrefix, StringComparison.Ordinal) && topology.FindRegion(scope[Scopes.RegionPrefix.Length..]) is null ? $"scope names an unknown region"
            : role == Role.Tooling && record.Kind != PrincipalKind.Service ? "tooling is a role of service accounts"
            : role != Role.Tooling && record.Kind != PrincipalKind.Person ? $"{Caller.Format(role)} is a role of persons, not of service accounts"
            : role == Role.Tooling && scope != Scopes.Platform ? "tooling is assigned on the platform scope"
            : role == Role.SecurityOfficer && scope != Scopes.Platform ? "security-officer is assigned on the platform scope"
            : role == Role.TenantAdmin && !scope.StartsWith(Scopes.TenantPrefix, StringComparison.Ordinal) ? "tenant-admin is assigned on a tenant scope"
            : role == Role.Operator && scope.StartsWith(Scopes.TenantPrefix, StringComparison.Ordinal) ? "operator is assigned on the platform or a region; tenants are reached through lockbox grants"
            : role == Role.Auditor && scope.StartsWith(Scopes.RegionPrefix, StringComparison.Ordinal) ? "auditor is assigned on the platform or a tenant"
            : null;
        Validate.ThrowIfAny(("scope", problem));
    }

    private PrincipalRecord Find(string principal) => S.Principals.TryGetValue(principal, out var record) ? record
        : throw DomainError.Of(ErrorStatus.NotFound, ErrorReasons.PrincipalNotFound, $"principal '{principal}' is not registered", (ErrorMetadata.Principal, principal)).ToException();

    private static Caller? RequireManager()
    {
        var caller = CallerContext.Current;
        AccessPolicy.Require(caller, Permission.ManageAccess, Scopes.Platform);
        return caller;
    }

    private async Task SaveAsync()
    {
        S.Version++;
        _snapshot = null;
        await state.PersistAsync(this);
    }
}
