using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Tests.Access;

/// <summary>Operators reach a tenant's resources only through a grant the tenant approved, or four-eyes break-glass.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LockboxTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private ILockboxGrain Lockbox(string tenant) => _grains.GetGrain<ILockboxGrain>(tenant);

    private async Task<string> InstanceAsync(string tenant)
    {
        await _grains.TenantAsync(tenant, Provision.Quota(16), "sec");
        return (await _grains.WaitAsync(await _grains.CreateAsync(tenant, "vm", "s4", "sec"))).InstanceId;
    }

    [Fact]
    public async Task An_operator_needs_a_grant_the_tenant_approved_and_loses_it_on_revocation()
    {
        var instance = await InstanceAsync("lb-t1");
        var op = Callers.Operator("lb-op-1", "rennes");
        var admin = Callers.TenantAdmin("lb-admin-1", "lb-t1");
        AccessGrant grant;
        using (Callers.As(op))
        {
            await Provision.FailsAsync(() => _grains.DeleteAsync(instance), ErrorStatus.PermissionDenied, ErrorReasons.LockboxGrantRequired);
            await Provision.FailsAsync(() => Lockbox("lb-t1").RequestAsync("ticket 7", TimeSpan.FromDays(2)), ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
            grant = await Lockbox("lb-t1").RequestAsync("ticket 7", TimeSpan.FromHours(1));
            Assert.Equal(AccessGrantState.Pending, grant.State);
            await Provision.FailsAsync(() => Lockbox("lb-t1").ApproveAsync(grant.Id), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
            await Provision.FailsAsync(() => _grains.DeleteAsync(instance), ErrorStatus.PermissionDenied, ErrorReasons.LockboxGrantRequired);
        }
        using (Callers.As(Callers.TenantAdmin("lb-admin-other", "lb-other")))
        {
            await Provision.FailsAsync(() => Lockbox("lb-t1").ApproveAsync(grant.Id), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        }
        using (Callers.As(admin))
        {
            grant = await Lockbox("lb-t1").ApproveAsync(grant.Id);
            Assert.Equal(AccessGrantState.Active, grant.State);
            Assert.Equal("lb-admin-1", grant.DecidedBy);
        }
        Assert.True(await Lockbox("lb-t1").HasActiveGrantAsync("lb-op-1"));
        Assert.False(await Lockbox("lb-t1").HasActiveGrantAsync("lb-op-other"));
        using (Callers.As(admin))
        {
            Assert.Equal(AccessGrantState.Revoked, (await Lockbox("lb-t1").RevokeAsync(grant.Id)).State);
        }
        using (Callers.As(op))
        {
            await Provision.FailsAsync(() => _grains.DeleteAsync(instance), ErrorStatus.PermissionDenied, ErrorReasons.LockboxGrantRequired);
        }
        Assert.Equal(InstanceState.Running, (await _grains.InstanceAsync(instance)).State);
    }

    [Fact]
    public async Task A_grant_expires_by_itself()
    {
        var instance = await InstanceAsync("lb-t2");
        var op = Callers.Operator("lb-op-2", "rennes");
        AccessGrant grant;
        using (Callers.As(op)) grant = await Lockbox("lb-t2").RequestAsync("maintenance", TimeSpan.FromSeconds(1));
        using (Callers.As(Callers.TenantAdmin("lb-admin-2", "lb-t2"))) grant = await Lockbox("lb-t2").ApproveAsync(grant.Id);
        var expiresAt = grant.ExpiresAt!.Value;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await Lockbox("lb-t2").HasActiveGrantAsync("lb-op-2"))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the grant did not end by itself");
            await Task.Delay(50);
        }
        Assert.True(DateTimeOffset.UtcNow >= expiresAt);
        using (Callers.As(op))
        {
            await Provision.FailsAsync(() => _grains.DeleteAsync(instance), ErrorStatus.PermissionDenied, ErrorReasons.LockboxGrantRequired);
        }
        using (Callers.As(Callers.TenantAdmin("lb-admin-2", "lb-t2")))
        {
            Assert.Equal(AccessGrantState.Expired, (await Lockbox("lb-t2").ListAsync()).Single(g => g.Id == grant.Id).State);
        }
    }

    [Fact]
    public async Task Break_glass_is_four_eyes_time_bounded_and_flagged_for_review()
    {
        var instance = await InstanceAsync("lb-t3");
        var op = Callers.Operator("lb-op-3", "rennes");
        var officer = Callers.SecurityOfficer("lb-so-3");
        var approvals = _grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        ApprovalInfo request;
        using (Callers.As(op))
        {
            await Provision.FailsAsync(() => Lockbox("lb-t3").BreakGlassAsync(), ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalRequired);
            await Provision.FailsAsync(() => approvals.RequestAsync(ApprovalAction.BreakGlass, "lb-t3", "outage", TimeSpan.FromDays(1)),
                ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
            request = await approvals.RequestAsync(ApprovalAction.BreakGlass, "lb-t3", "outage", TimeSpan.FromMinutes(30));
        }
        using (Callers.As(Callers.Operator("lb-op-peer", "rennes")))
        {
            // Break-glass is decided by a security officer, not a peer.
            await Provision.FailsAsync(() => approvals.ApproveAsync(request.Id), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        }
        using (Callers.As(officer)) await approvals.ApproveAsync(request.Id);
        AccessGrant grant;
        using (Callers.As(op, request.Id))
        {
            grant = await Lockbox("lb-t3").BreakGlassAsync();
            Assert.True(grant.BreakGlass);
            Assert.True(grant.NeedsReview);
            Assert.Equal(TimeSpan.FromMinutes(30), grant.ExpiresAt - grant.DecidedAt);
            Assert.Equal("lb-so-3", grant.DecidedBy);
        }
        using (Callers.As(op))
        {
            var deleted = await _grains.WaitAsync(await _grains.DeleteAsync(instance));
            Assert.Equal(OperationState.Succeeded, deleted.State);
            await Provision.FailsAsync(() => Lockbox("lb-t3").ReviewAsync(grant.Id), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        }
        using (Callers.As(officer))
        {
            var reviewed = await Lockbox("lb-t3").ReviewAsync(grant.Id);
            Assert.False(reviewed.NeedsReview);
            Assert.Equal("lb-so-3", reviewed.ReviewedBy);
        }
    }
}
