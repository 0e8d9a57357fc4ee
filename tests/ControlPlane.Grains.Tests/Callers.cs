using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Tests;

/// <summary>
/// Callers as the gateway resolves them, put in the request context the way it does. A test call that
/// names none comes from the development identity, as the embedded gateway's calls do (<see cref="AttachDefaultAsync"/>);
/// <see cref="None"/> sends calls with no caller at all, as a foreign Orleans client would.
/// </summary>
public static class Callers
{
    private static readonly AsyncLocal<bool> Bare = new();

    public static Caller Development { get; } =
        new("development", PrincipalKind.Development, Employers.Operator, "", "", true, [], false);

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

    /// <summary>Makes the calls that follow, on this async flow, carry no caller at all.</summary>
    public static IDisposable None()
    {
        Bare.Value = true;
        CallerContext.Set(null);
        return new Reset();
    }

    /// <summary>The test client's outgoing filter: a call naming no caller gets the development identity, unless <see cref="None"/>.</summary>
    public static Task AttachDefaultAsync(IOutgoingGrainCallContext context)
    {
        if (CallerContext.Current is null && !Bare.Value) CallerContext.Set(Development);
        return context.Invoke();
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose()
        {
            Bare.Value = false;
            CallerContext.Set(null);
        }
    }
}
