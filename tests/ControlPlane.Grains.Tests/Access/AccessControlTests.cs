using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Grains.Tests.Access;

/// <summary>Principals, roles, separation of duties, who-can / what-can and the four-eyes unseal.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AccessControlTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;
    private IAccessControlGrain Access => _grains.GetGrain<IAccessControlGrain>(IAccessControlGrain.Key);

    private static PrincipalRecord Person(string id, string centre = "idf", string employer = Employers.Operator) =>
        new(id, PrincipalKind.Person, id, employer, centre, default, "");

    [Fact]
    public async Task Only_security_officers_register_principals_and_assign_roles()
    {
        using (Callers.As(Callers.Operator("ac-op-1", "idf")))
        {
            await Provision.FailsAsync(() => Access.RegisterPrincipalAsync(Person("ac-x1")), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        }
        using (Callers.As(Callers.SecurityOfficer("ac-so-1") with { Mfa = false }))
        {
            await Provision.FailsAsync(() => Access.RegisterPrincipalAsync(Person("ac-x1")), ErrorStatus.PermissionDenied, ErrorReasons.MfaRequired);
        }
        using (Callers.As(Callers.SecurityOfficer("ac-so-1")))
        {
            var registered = await Access.RegisterPrincipalAsync(Person("ac-x1"));
            Assert.Equal("ac-so-1", registered.RegisteredBy);
            Assert.Equal(registered, await Access.RegisterPrincipalAsync(Person("ac-x1")));
            await Provision.FailsAsync(() => Access.RegisterPrincipalAsync(Person("ac-x1", "rennes")), ErrorStatus.AlreadyExists, ErrorReasons.PrincipalExists);
            await Provision.FailsAsync(() => Access.AssignRoleAsync("ac-nobody", Role.Operator, Scopes.Platform), ErrorStatus.NotFound, ErrorReasons.PrincipalNotFound);
            await Provision.FailsAsync(() => Access.AssignRoleAsync("ac-x1", Role.Tooling, Scopes.Platform), ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
            await Provision.FailsAsync(() => Access.AssignRoleAsync("ac-x1", Role.Operator, "region:nowhere"), ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
        }
    }

    [Fact]
    public async Task Incompatible_roles_on_overlapping_scopes_are_refused()
    {
        using var _ = Callers.As(Callers.SecurityOfficer("ac-so-2"));
        await Access.RegisterPrincipalAsync(Person("ac-dual"));
        await Access.AssignRoleAsync("ac-dual", Role.Operator, Scopes.Region("prod"));

        var refused = await Provision.FailsAsync(() => Access.AssignRoleAsync("ac-dual", Role.Auditor, Scopes.Platform),
            ErrorStatus.FailedPrecondition, ErrorReasons.IncompatibleRoles);
        Assert.Equal("operator", refused.Metadata["conflicting_role"]);
        await Provision.FailsAsync(() => Access.AssignRoleAsync("ac-dual", Role.SecurityOfficer, Scopes.Platform),
            ErrorStatus.FailedPrecondition, ErrorReasons.IncompatibleRoles);
        // Auditing one tenant does not overlap operating a region.
        await Access.AssignRoleAsync("ac-dual", Role.Auditor, Scopes.Tenant("some-tenant"));

        var snapshot = await Access.GetSnapshotAsync();
        Assert.Equal([(Role.Operator, "region:prod"), (Role.Auditor, "tenant:some-tenant")],
            snapshot.RolesOf("ac-dual").Select(r => (r.Role, r.Scope)).ToArray());
    }

    [Fact]
    public async Task Who_can_and_what_can_answer_from_the_assignments()
    {
        using var _ = Callers.As(Callers.SecurityOfficer("ac-so-3"));
        await Access.RegisterPrincipalAsync(Person("ac-rennes-op", "rennes"));
        await Access.RegisterPrincipalAsync(Person("ac-vendor", "idf", Employers.Vendor));
        await Access.AssignRoleAsync("ac-rennes-op", Role.Operator, Scopes.Region("sec"));
        await Access.AssignRoleAsync("ac-vendor", Role.Operator, Scopes.Region("sec"));

        var who = await Access.WhoCanAsync(Scopes.Region("sec"));
        var op = Assert.Single(who, e => e.Principal == "ac-rennes-op");
        Assert.Equal(Role.Operator, op.Role);
        Assert.Contains("Administer", op.Allows);
        Assert.Contains("administers sec (piloted by rennes)", op.Condition);
        Assert.Contains("sealed", Assert.Single(who, e => e.Principal == "ac-vendor").Condition);
        Assert.DoesNotContain(who, e => e.Scope == Scopes.Region("prod"));

        var what = await Access.WhatCanAsync("ac-rennes-op");
        Assert.Equal(Scopes.Region("sec"), Assert.Single(what).Scope);

        await Access.RevokeRoleAsync("ac-rennes-op", Role.Operator, Scopes.Region("sec"));
        Assert.Empty(await Access.WhatCanAsync("ac-rennes-op"));
    }

    [Fact]
    public async Task Unsealing_needs_a_second_security_officer()
    {
        var first = Callers.SecurityOfficer("ac-so-first");
        var second = Callers.SecurityOfficer("ac-so-second");
        var approvals = _grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        ApprovalInfo request;
        using (Callers.As(first))
        {
            Assert.True(await Access.SealAsync());
            await Provision.FailsAsync(() => Access.UnsealAsync(), ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalRequired);
            request = await approvals.RequestAsync(ApprovalAction.UnsealPlatform, "", "vendor support case 42", TimeSpan.Zero);
            await Provision.FailsAsync(() => approvals.ApproveAsync(request.Id), ErrorStatus.PermissionDenied, ErrorReasons.SelfApproval);
        }
        using (Callers.As(Callers.Operator("ac-op-approver", "idf")))
        {
            await Provision.FailsAsync(() => approvals.ApproveAsync(request.Id), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        }
        using (Callers.As(second))
        {
            Assert.Equal(ApprovalState.Approved, (await approvals.ApproveAsync(request.Id)).State);
            // Only the requester uses it.
            await Provision.FailsAsync(() => Access.UnsealAsync(), ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalRequired);
        }
        using (Callers.As(second, request.Id))
        {
            await Provision.FailsAsync(() => Access.UnsealAsync(), ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalNotUsable);
        }
        using (Callers.As(first, request.Id))
        {
            Assert.False(await Access.UnsealAsync());
            Assert.False((await Access.GetSnapshotAsync()).Sealed);
            Assert.Equal(ApprovalState.Used, (await approvals.GetAsync(request.Id))!.State);
            Assert.True(await Access.SealAsync());
        }
        using (Callers.As(first, request.Id))
        {
            await Provision.FailsAsync(() => Access.UnsealAsync(), ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalNotUsable);
        }
        Assert.True((await Access.GetSnapshotAsync()).Sealed);
    }
}
