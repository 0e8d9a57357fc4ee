using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Grains.Tests;

/// <summary>The decision the gateway and the grains share on a tenant's resources: roles, then the lockbox for operators.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TenantAccessTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private Task RequireAsync(Caller? caller, string tenant) => TenantAccess.RequireAsync(_grains, caller, Permission.WriteTenant, tenant);

    [Fact]
    public async Task The_platform_itself_and_the_tenants_admin_are_let_through_another_tenants_admin_and_a_missing_caller_are_not()
    {
        await RequireAsync(Caller.System("ta-test"), "ta-t1");
        await Provision.FailsAsync(() => RequireAsync(null, "ta-t1"), ErrorStatus.Unauthenticated, ErrorReasons.CallerRequired);
        await RequireAsync(Callers.TenantAdmin("ta-admin-1", "ta-t1"), "ta-t1");

        await Provision.FailsAsync(() => RequireAsync(Callers.TenantAdmin("ta-admin-other", "ta-other"), "ta-t1"),
            ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
    }

    [Fact]
    public async Task An_operator_needs_an_active_lockbox_grant_of_that_tenant()
    {
        await _grains.TenantAsync("ta-t2", ResourceAmount.Zero, "sec");
        var op = Callers.Operator("ta-op-2", "rennes");

        var refusal = await Provision.FailsAsync(() => RequireAsync(op, "ta-t2"), ErrorStatus.PermissionDenied, ErrorReasons.LockboxGrantRequired);
        AccessGrant grant;
        using (Callers.As(op)) grant = await _grains.GetGrain<ILockboxGrain>("ta-t2").RequestAsync("ticket 12", TimeSpan.FromHours(1));
        using (Callers.As(Callers.TenantAdmin("ta-admin-2", "ta-t2"))) await _grains.GetGrain<ILockboxGrain>("ta-t2").ApproveAsync(grant.Id);
        await RequireAsync(op, "ta-t2");

        Assert.Equal(("ta-t2", "ta-op-2"), (refusal.Metadata[ErrorMetadata.TenantId], refusal.Metadata[ErrorMetadata.Principal]));
        await Provision.FailsAsync(() => RequireAsync(op, "ta-t3"), ErrorStatus.PermissionDenied, ErrorReasons.LockboxGrantRequired);
    }
}
