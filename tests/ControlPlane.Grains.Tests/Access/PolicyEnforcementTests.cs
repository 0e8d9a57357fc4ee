using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Access;

/// <summary>
/// The access rules as the grains apply them to the resources they hold, denials first: sealed
/// vendor, missing role, multi-factor, location outside the EU, wrong ops centre, four-eyes.
/// Region "sec" is piloted by rennes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PolicyEnforcementTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private static string SecServer(int i) => TestTopology.Create().FindZone("sec-a")!.Servers[i].Id;

    private IServerGrain Server(int i) => _grains.GetGrain<IServerGrain>(SecServer(i));

    [Fact]
    public async Task Vendor_personnel_get_nothing_while_the_platform_is_sealed()
    {
        var vendor = Callers.Tooling("svc:vendor-tool") with { Employer = Employers.Vendor };
        using (Callers.As(vendor))
        {
            await Provision.FailsAsync(() => _grains.TenantAsync("pe-sealed", Provision.Quota(8), "sec"), ErrorStatus.PermissionDenied, ErrorReasons.PlatformSealed);
        }
        await Provision.FailsAsync(() => _grains.GetGrain<ITenantGrain>("pe-sealed").GetAsync(), ErrorStatus.NotFound, ErrorReasons.TenantNotFound);
        using (Callers.As(vendor with { PlatformSealed = false }))
        {
            await _grains.TenantAsync("pe-sealed", Provision.Quota(8), "sec");
        }
    }

    [Fact]
    public async Task Infrastructure_is_administered_from_the_EU_with_MFA_by_the_piloting_centre()
    {
        using (Callers.As(Callers.Operator("pe-idf", "idf")))
        {
            var e = await Provision.FailsAsync(() => Server(0).CordonAsync(), ErrorStatus.PermissionDenied, ErrorReasons.WrongOpsCentre);
            Assert.Equal("rennes", e.Metadata["pilot"]);
        }
        using (Callers.As(Callers.Operator("pe-us", "rennes", location: "US")))
        {
            await Provision.FailsAsync(() => Server(0).CordonAsync(), ErrorStatus.PermissionDenied, ErrorReasons.AdminOutsideEu);
        }
        using (Callers.As(Callers.Operator("pe-nomfa", "rennes", mfa: false)))
        {
            await Provision.FailsAsync(() => Server(0).CordonAsync(), ErrorStatus.PermissionDenied, ErrorReasons.MfaRequired);
        }
        using (Callers.As(Callers.Operator("pe-other-region", "rennes", Scopes.Region("dr"))))
        {
            await Provision.FailsAsync(() => Server(0).CordonAsync(), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        }
        using (Callers.As(Callers.Tooling("svc:pe-tool")))
        {
            await Provision.FailsAsync(() => Server(0).CordonAsync(), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        }
        Assert.Equal(ServerLifecycle.Active, (await Server(0).GetAsync()).Lifecycle);

        using (Callers.As(Callers.Operator("pe-rennes", "rennes", Scopes.Region("sec"))))
        {
            Assert.Equal(ServerLifecycle.Cordoned, (await Server(0).CordonAsync()).Lifecycle);
            Assert.Equal(ServerLifecycle.Active, (await Server(0).UncordonAsync()).Lifecycle);
        }
    }

    [Fact]
    public async Task Decommissioning_needs_a_second_authorised_principal()
    {
        var approvals = _grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        var requester = Callers.Operator("pe-4e-a", "rennes");
        using (Callers.As(requester))
        {
            foreach (var i in new[] { 1, 2 })
            {
                await Server(i).CordonAsync();
                Assert.Equal(ServerLifecycle.Drained, (await Server(i).DrainAsync()).Lifecycle);
            }
            var refused = await Provision.FailsAsync(() => Server(1).DecommissionAsync(), ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalRequired);
            Assert.Equal(SecServer(1), refused.Metadata["target"]);
        }
        ApprovalInfo request;
        using (Callers.As(Callers.Operator("pe-4e-idf", "idf")))
        {
            // Asking needs the same authority as acting.
            await Provision.FailsAsync(() => approvals.RequestAsync(ApprovalAction.DecommissionServer, SecServer(1), "disk failure", TimeSpan.Zero),
                ErrorStatus.PermissionDenied, ErrorReasons.WrongOpsCentre);
        }
        using (Callers.As(requester))
        {
            await Provision.FailsAsync(() => approvals.RequestAsync(ApprovalAction.DecommissionServer, "no-such-server", "x", TimeSpan.Zero),
                ErrorStatus.NotFound, ErrorReasons.ServerNotFound);
            request = await approvals.RequestAsync(ApprovalAction.DecommissionServer, SecServer(1), "disk failure", TimeSpan.Zero);
            Assert.Equal(ApprovalState.Pending, request.State);
            await Provision.FailsAsync(() => approvals.ApproveAsync(request.Id), ErrorStatus.PermissionDenied, ErrorReasons.SelfApproval);
        }
        using (Callers.As(requester, request.Id))
        {
            await Provision.FailsAsync(() => Server(1).DecommissionAsync(), ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalNotUsable);
        }
        using (Callers.As(Callers.Operator("pe-4e-idf", "idf")))
        {
            // An operator of another centre cannot approve an action on this region.
            await Provision.FailsAsync(() => approvals.ApproveAsync(request.Id), ErrorStatus.PermissionDenied, ErrorReasons.WrongOpsCentre);
        }
        using (Callers.As(Callers.Operator("pe-4e-b", "rennes")))
        {
            var approved = await approvals.ApproveAsync(request.Id);
            Assert.Equal(("pe-4e-b", ApprovalState.Approved), (approved.Approver, approved.State));
        }
        using (Callers.As(requester, request.Id))
        {
            // The approval is for this server only.
            await Provision.FailsAsync(() => Server(2).DecommissionAsync(), ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalNotUsable);
        }
        using (Callers.As(requester, request.Id))
        {
            Assert.Equal(ServerLifecycle.Decommissioned, (await Server(1).DecommissionAsync()).Lifecycle);
        }
        Assert.Equal(ApprovalState.Used, (await approvals.ListAsync(null)).Single(a => a.Id == request.Id).State);
    }

    [Fact]
    public async Task Tenant_administrators_act_on_their_own_tenant_only()
    {
        await _grains.TenantAsync("pe-t1", Provision.Quota(16), "sec");
        await _grains.TenantAsync("pe-t2", Provision.Quota(16), "sec");
        using var _ = Callers.As(Callers.TenantAdmin("pe-admin-1", "pe-t1"));
        await Provision.FailsAsync(() => _grains.CreateAsync("pe-t2", "vm", "s4", "sec"), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        await Provision.FailsAsync(() => _grains.TenantAsync("pe-t3", Provision.Quota(8), "sec"), ErrorStatus.PermissionDenied, ErrorReasons.RoleRequired);
        var created = await _grains.WaitAsync(await _grains.CreateAsync("pe-t1", "vm", "s4", "sec"));
        Assert.Equal(OperationState.Succeeded, created.State);
        Assert.Equal(0, (await _grains.GetGrain<ITenantGrain>("pe-t2").GetAsync()).InstanceCount);
    }
}
