using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Tests;

/// <summary>Callers as the gateway resolves them, put in the request context the way it does.</summary>
public static class Callers
{
    public static Caller Operator(string id, string centre, string scope = Scopes.Platform, string location = "FR", bool mfa = true) =>
        new(id, PrincipalKind.Person, Employers.Operator, centre, location, mfa, [new ScopedRole(Role.Operator, scope)], true);

    public static Caller TenantAdmin(string id, string tenant) =>
        new(id, PrincipalKind.Person, Employers.Operator, "", "FR", true, [new ScopedRole(Role.TenantAdmin, Scopes.Tenant(tenant))], true);

    public static Caller Tooling(string id) =>
        new(id, PrincipalKind.Service, Employers.Operator, "", "", false, [new ScopedRole(Role.Tooling, Scopes.Platform)], true);

    public static Caller SecurityOfficer(string id) =>
        new(id, PrincipalKind.Person, Employers.Operator, "idf", "FR", true, [new ScopedRole(Role.SecurityOfficer, Scopes.Platform)], true);

    /// <summary>Makes the calls that follow, on this async flow, come from <paramref name="caller"/> (with an approval, if any).</summary>
    public static IDisposable As(Caller caller, string approvalId = "")
    {
        CallerContext.Set(caller with { ApprovalId = approvalId });
        return new Reset();
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose() => CallerContext.Set(null);
    }
}
