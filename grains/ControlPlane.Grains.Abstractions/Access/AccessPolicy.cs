using System.Diagnostics.CodeAnalysis;
using ControlPlane.Domain.Residency;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// The access rules, as pure functions of the caller: the gateway applies them to every call, the
/// grains again to the resource they hold (<see cref="Guard"/>). A denial is a PermissionDenied with a stable reason.
/// </summary>
public static class AccessPolicy
{
    private static readonly Dictionary<Role, Permission[]> Grants = new()
    {
        [Role.Operator] = [Permission.ReadPlatform, Permission.ReadInfrastructure, Permission.Administer, Permission.ManageCatalogue, Permission.RequestTenantAccess],
        [Role.Tooling] = [Permission.ReadPlatform, Permission.ReadInfrastructure, Permission.CreateTenant, Permission.ReadTenant, Permission.WriteTenant],
        [Role.TenantAdmin] = [Permission.ReadPlatform, Permission.ReadTenant, Permission.WriteTenant, Permission.ReadAudit, Permission.DecideTenantAccess],
        [Role.Auditor] = [Permission.ReadPlatform, Permission.ReadInfrastructure, Permission.ReadAudit],
        [Role.SecurityOfficer] = [Permission.ReadPlatform, Permission.ReadInfrastructure, Permission.ReadAudit, Permission.ManageAccess],
    };

    /// <summary>Permissions that administer the platform: multi-factor authentication and a work location in the EU (SNC 9.6.f, 19.2.c).</summary>
    private static readonly HashSet<Permission> Privileged =
        [Permission.Administer, Permission.ManageCatalogue, Permission.ManageAccess, Permission.RequestTenantAccess];

    public static IReadOnlyCollection<Permission> PermissionsOf(Role role) => Grants[role];

    /// <summary>
    /// Whether <paramref name="caller"/> may act with <paramref name="permission"/> on <paramref name="scope"/>
    /// (null: somewhere, when the resource is not known yet). <see cref="AccessVerdict.NeedsLockbox"/>:
    /// an operator reaching a tenant's resources, allowed only with an active lockbox grant.
    /// </summary>
    /// <exception cref="ControlPlaneException">PermissionDenied with the reason; Unauthenticated without a caller.</exception>
    public static AccessVerdict Require(Caller? caller, Permission permission, string? scope)
    {
        if (Unchecked(caller)) return AccessVerdict.Allowed;
        RequireUnsealed(caller);
        if (Privileged.Contains(permission)) RequireAdministrationConditions(caller);
        if (Holds(caller, permission, scope)) return AccessVerdict.Allowed;
        if (permission is Permission.ReadTenant or Permission.WriteTenant && caller.HasAnywhere(Role.Operator)
            && scope is not null && scope.StartsWith(Scopes.TenantPrefix, StringComparison.Ordinal))
        {
            RequireAdministrationConditions(caller);
            return AccessVerdict.NeedsLockbox;
        }
        throw Denied(ErrorReasons.RoleRequired,
            $"'{caller.Principal}' holds no role that allows {Describe(permission)}{(scope is null ? "" : $" on {scope}")}",
            (ErrorMetadata.Permission, permission.ToString()), (ErrorMetadata.Scope, scope ?? ""), (ErrorMetadata.Principal, caller.Principal));
    }

    /// <summary>
    /// True for callers no rule applies to: the development identity and the platform's own work (a system caller).
    /// A missing caller is never taken for the platform: it is refused (UNAUTHENTICATED / CALLER_REQUIRED).
    /// </summary>
    public static bool Unchecked([NotNull] Caller? caller) =>
        (caller ?? throw CallerContext.Required("a call")).IsDevelopment || caller.IsSystem;

    public static bool Holds(Caller caller, Permission permission, string? scope) => caller.Roles.Any(r =>
        Grants[r.Role].Contains(permission)
        && (scope is null || Scopes.Covers(r.Scope, scope) || permission is Permission.ReadPlatform
            || (permission == Permission.RequestTenantAccess && r.Role == Role.Operator)
            || (permission == Permission.ReadInfrastructure && r.Role == Role.Operator)));

    /// <summary>Vendor personnel get nothing while the platform is sealed.</summary>
    public static void RequireUnsealed(Caller caller)
    {
        if (caller.PlatformSealed && caller.Employer == Employers.Vendor)
        {
            throw Denied(ErrorReasons.PlatformSealed, $"the platform is sealed: '{caller.Principal}' works for the vendor and has no access",
                (ErrorMetadata.Principal, caller.Principal), (ErrorMetadata.Employer, caller.Employer));
        }
    }

    /// <summary>A person administering: multi-factor authentication, working from the EU.</summary>
    public static void RequireAdministrationConditions(Caller caller)
    {
        if (caller.Kind != PrincipalKind.Person) return;
        if (!caller.Mfa)
        {
            throw Denied(ErrorReasons.MfaRequired, $"'{caller.Principal}' must sign in with multi-factor authentication (token 'amr' claim with 'mfa') to administer the platform",
                (ErrorMetadata.Principal, caller.Principal));
        }
        if (!EuropeanUnion.Contains(caller.Location))
        {
            throw Denied(ErrorReasons.AdminOutsideEu,
                $"'{caller.Principal}' works from '{(caller.Location.Length == 0 ? "an unknown location" : caller.Location)}': the platform is administered from the EU only",
                (ErrorMetadata.Principal, caller.Principal), (ErrorMetadata.Location, caller.Location));
        }
    }

    /// <summary>
    /// An operator of <paramref name="pilot"/>'s region works in that centre, or in a centre that took it
    /// over (<paramref name="takenOverBy"/>, from the event log).
    /// </summary>
    public static void RequirePilot(Caller? caller, string region, string pilot, IReadOnlyCollection<string> takenOverBy)
    {
        if (Unchecked(caller) || caller.Kind != PrincipalKind.Person) return;
        if (caller.OpsCentre == pilot || takenOverBy.Contains(caller.OpsCentre)) return;
        throw Denied(ErrorReasons.WrongOpsCentre,
            $"region '{region}' is piloted by ops centre '{pilot}'{(takenOverBy.Count > 0 ? $" (taken over by {string.Join(", ", takenOverBy)})" : "")}; '{caller.Principal}' belongs to '{caller.OpsCentre}'",
            (ErrorMetadata.Region, region), (ErrorMetadata.Pilot, pilot), (ErrorMetadata.OpsCentre, caller.OpsCentre));
    }

    public static ControlPlaneException LockboxGrantRequired(Caller caller, string tenantId) => Denied(ErrorReasons.LockboxGrantRequired,
        $"operator '{caller.Principal}' has no active lockbox grant of tenant '{tenantId}': ask one with RequestTenantAccess, the tenant approves it",
        (ErrorMetadata.TenantId, tenantId), (ErrorMetadata.Principal, caller.Principal));

    public static ControlPlaneException Denied(string reason, string message, params (string Key, string Value)[] metadata) =>
        DomainError.Of(ErrorStatus.PermissionDenied, reason, message, metadata).ToException();

    private static string Describe(Permission permission) => permission switch
    {
        Permission.ReadPlatform => "reading the platform",
        Permission.ReadInfrastructure => "reading the infrastructure",
        Permission.Administer => "administering the infrastructure",
        Permission.ManageCatalogue => "managing the catalogue",
        Permission.CreateTenant => "creating tenants",
        Permission.ReadTenant => "reading a tenant's resources",
        Permission.WriteTenant => "changing a tenant's resources",
        Permission.ReadAudit => "reading the audit log",
        Permission.ManageAccess => "managing principals, roles, the seal and approvals",
        Permission.RequestTenantAccess => "asking for access to a tenant",
        Permission.DecideTenantAccess => "deciding on access to a tenant",
        _ => permission.ToString(),
    };
}
