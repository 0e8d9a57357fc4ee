using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// Who makes the current call, resolved by the gateway (token or certificate, then the principal's
/// registration and roles) and carried to the grains in the request context.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.Caller")]
public sealed record Caller(
    [property: Id(0)] string Principal,
    [property: Id(1)] PrincipalKind Kind,
    [property: Id(2)] string Employer,
    [property: Id(3)] string OpsCentre,
    [property: Id(4)] string Location,
    [property: Id(5)] bool Mfa,
    [property: Id(6)] ImmutableArray<ScopedRole> Roles,
    [property: Id(7)] bool PlatformSealed)
{
    /// <summary>The four-eyes approval the request names (its approval_id), if any.</summary>
    [Id(8)] public string ApprovalId { get; init; } = "";

    public bool Has(Role role, string scope) => Roles.Any(r => r.Role == role && Scopes.Covers(r.Scope, scope));

    public bool HasAnywhere(Role role) => Roles.Any(r => r.Role == role);

    public bool IsDevelopment => Kind == PrincipalKind.Development;

    public bool IsSystem => Kind == PrincipalKind.System;

    /// <summary>The platform's own <paramref name="work"/> ("zone-reconcile"): principal <c>system:&lt;work&gt;</c>, no role, no rule applies.</summary>
    public static Caller System(string work) =>
        new($"system:{work}", PrincipalKind.System, Employers.Operator, "", "", false, [], false);

    /// <summary>The roles, "operator@region:france-centre,tooling@platform", for audit records.</summary>
    public string RoleSummary => string.Join(",", Roles.Select(r => $"{Format(r.Role)}@{r.Scope}"));

    public static string Format(Role role) => role switch
    {
        Role.Operator => "operator",
        Role.Tooling => "tooling",
        Role.TenantAdmin => "tenant-admin",
        Role.Auditor => "auditor",
        Role.SecurityOfficer => "security-officer",
        _ => role.ToString(),
    };

    public static Role? ParseRole(string text) => text switch
    {
        "operator" => Role.Operator,
        "tooling" => Role.Tooling,
        "tenant-admin" => Role.TenantAdmin,
        "auditor" => Role.Auditor,
        "security-officer" => Role.SecurityOfficer,
        _ => null,
    };
}
