using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// validate_only on the seal, approvals and lockbox over real gRPC with security enforced (the development identity of
/// <see cref="DryRunTests"/> skips four-eyes and separation of duties): a dry run refuses as the real call refuses, and
/// otherwise answers what it would do while nothing changes — no seal written, no request or decision recorded, no
/// grant, no approval used.
/// </summary>
[Collection(SecureHostCollection.Name)]
public sealed class AccessDryRunTests(SecureHostFixture host)
{
    private Access.AccessClient AccessAs(string who) => new(host.As(who));

    private Approvals.ApprovalsClient ApprovalsAs(string who) => new(host.As(who));

    private Task<Approval> GetApprovalAsync(string id) => ApprovalsAs("so-1").GetApprovalAsync(new GetApprovalRequest { Id = id }).ResponseAsync;

    private async Task<bool> SealedAsync() => (await AccessAs("so-1").WhoAmIAsync(new WhoAmIRequest())).PlatformSealed;

    /// <summary>An approved request of <paramref name="requester"/>, decided by <paramref name="approver"/>.</summary>
    private async Task<Approval> ApprovedAsync(string requester, ApprovalAction action, string target, string approver = "so-2")
    {
        var request = await ApprovalsAs(requester).RequestApprovalAsync(new RequestApprovalRequest { Action = action, Target = target, Justification = "dry-run test" });
        return await ApprovalsAs(approver).ApproveAsync(new DecideApprovalRequest { Id = request.Id });
    }

    /// <summary>Both calls fail with this status and reason, and the same ErrorInfo metadata.</summary>
    private static async Task SameRefusalAsync(Func<Task> dry, Func<Task> real, StatusCode code, string reason)
    {
        var (dryInfo, _) = await Api.FailsAsync(dry, code, reason);
        var (realInfo, _) = await Api.FailsAsync(real, code, reason);
        Assert.Equal(realInfo.Metadata, dryInfo.Metadata);
    }

    [Fact]
    public async Task Dry_unseal_checks_the_four_eyes_approval_without_using_it_and_dry_seal_leaves_the_platform_unsealed()
    {
        Assert.True(await SealedAsync());
        var approval = await ApprovedAsync("so-1", ApprovalAction.UnsealPlatform, "platform");
        UnsealPlatformRequest Unseal(string approvalId, bool dry) => new() { ApprovalId = approvalId, ValidateOnly = dry };

        // Refused as the real unseal: without an approval, and with another principal's.
        await SameRefusalAsync(() => AccessAs("so-1").UnsealPlatformAsync(Unseal("", dry: true)).ResponseAsync,
            () => AccessAs("so-1").UnsealPlatformAsync(Unseal("", dry: false)).ResponseAsync, StatusCode.FailedPrecondition, "APPROVAL_REQUIRED");
        await SameRefusalAsync(() => AccessAs("so-2").UnsealPlatformAsync(Unseal(approval.Id, dry: true)).ResponseAsync,
            () => AccessAs("so-2").UnsealPlatformAsync(Unseal(approval.Id, dry: false)).ResponseAsync, StatusCode.FailedPrecondition, "APPROVAL_NOT_USABLE");

        // Accepted: answered unsealed, but the platform stays sealed and the approval approved and unused (twice, to show it).
        for (var i = 0; i < 2; i++) Assert.False((await AccessAs("so-1").UnsealPlatformAsync(Unseal(approval.Id, dry: true))).Sealed);
        Assert.True(await SealedAsync());
        var kept = await GetApprovalAsync(approval.Id);
        Assert.Equal(ApprovalState.Approved, kept.State);
        Assert.Null(kept.UsedAt);

        // The real unseal then uses it; on the unsealed platform a dry seal answers sealed and writes nothing.
        Assert.False((await AccessAs("so-1").UnsealPlatformAsync(Unseal(approval.Id, dry: false))).Sealed);
        try
        {
            Assert.Equal(ApprovalState.Used, (await GetApprovalAsync(approval.Id)).State);
            await SameRefusalAsync(() => AccessAs("op-idf-1").SealPlatformAsync(new SealPlatformRequest { ValidateOnly = true }).ResponseAsync,
                () => AccessAs("op-idf-1").SealPlatformAsync(new SealPlatformRequest()).ResponseAsync, StatusCode.PermissionDenied, "ROLE_REQUIRED");
            Assert.True((await AccessAs("so-2").SealPlatformAsync(new SealPlatformRequest { ValidateOnly = true })).Sealed);
            Assert.False(await SealedAsync());
        }
        finally
        {
            await AccessAs("so-1").SealPlatformAsync(new SealPlatformRequest());
        }
        Assert.True(await SealedAsync());

        var audit = await new Contracts.V1.Audit.AuditClient(host.As("aud-1")).ListAuditRecordsAsync(new ListAuditRecordsRequest { Principal = "so-2", PageSize = 1000 });
        Assert.Contains(audit.Records, r => r.Action == "Access/SealPlatform?validate_only" && r.Decision == "allowed");
    }

    [Fact]
    public async Task Dry_approval_requests_and_decisions_answer_as_the_real_ones_and_record_nothing()
    {
        var tenant = await TenantAsync("dry-apr-t");
        var tooling = ApprovalsAs("svc:tooling");
        RequestApprovalRequest Ask(string target, bool dry) => new()
        {
            Action = ApprovalAction.ExportTenant, Target = target, Justification = "tenant asked for its data", ValidateOnly = dry,
        };
        async Task<int> RequestsForAsync(string target) =>
            (await ApprovalsAs("so-1").ListApprovalsAsync(new ListApprovalsRequest())).Approvals.Count(a => a.Target == target);

        // A dry request: the approval as it would be, without an id, and none stored; an unknown tenant refused as for real.
        var dry = await tooling.RequestApprovalAsync(Ask(tenant, dry: true));
        Assert.Equal(("", ApprovalAction.ExportTenant, tenant, "svc:tooling", ApprovalState.Pending), (dry.Id, dry.Action, dry.Target, dry.Requester, dry.State));
        Assert.True(dry.ExpiresAt.ToDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal(0, await RequestsForAsync(tenant));
        await SameRefusalAsync(() => tooling.RequestApprovalAsync(Ask("dry-apr-nowhere", dry: true)).ResponseAsync,
            () => tooling.RequestApprovalAsync(Ask("dry-apr-nowhere", dry: false)).ResponseAsync, StatusCode.NotFound, "TENANT_NOT_FOUND");

        // Dry decisions on a pending request: the requester is refused as for real; another principal gets the decision,
        // and the request stays pending.
        var request = await tooling.RequestApprovalAsync(Ask(tenant, dry: false));
        var decide = (string who, bool approve, bool dry) => approve
            ? ApprovalsAs(who).ApproveAsync(new DecideApprovalRequest { Id = request.Id, ValidateOnly = dry }).ResponseAsync
            : ApprovalsAs(who).RejectAsync(new DecideApprovalRequest { Id = request.Id, ValidateOnly = dry }).ResponseAsync;
        await SameRefusalAsync(() => decide("svc:tooling", true, true), () => decide("svc:tooling", true, false), StatusCode.PermissionDenied, "SELF_APPROVAL");
        await SameRefusalAsync(() => decide("op-idf-1", false, true), () => decide("op-idf-1", false, false), StatusCode.PermissionDenied, "ROLE_REQUIRED");
        var approved = await decide("so-2", true, true);
        Assert.Equal((request.Id, ApprovalState.Approved, "so-2"), (approved.Id, approved.State, approved.Approver));
        Assert.NotNull(approved.DecidedAt);
        var rejected = await decide("so-2", false, true);
        Assert.Equal((ApprovalState.Rejected, "so-2"), (rejected.State, rejected.Approver));
        var stored = await GetApprovalAsync(request.Id);
        Assert.Equal((ApprovalState.Pending, ""), (stored.State, stored.Approver));
        Assert.Null(stored.DecidedAt);
        Assert.Equal(1, await RequestsForAsync(tenant));

        // Decided for real: a dry decision by another principal is refused as the real one (no longer pending).
        await decide("so-2", true, false);
        await SameRefusalAsync(() => decide("so-1", true, true), () => decide("so-1", true, false), StatusCode.FailedPrecondition, "APPROVAL_NOT_USABLE");
        var decided = await GetApprovalAsync(request.Id);
        Assert.Equal(("so-2", ApprovalState.Approved), (decided.Approver, decided.State));
    }

    [Fact]
    public async Task A_dry_decommission_checks_its_approval_without_using_it()
    {
        var servers = new Servers.ServersClient(host.As("op-idf-2", "DE"));
        var listed = await new Topology.TopologyClient(host.As("op-idf-2", "DE")).ListServersAsync(new ListServersRequest { Zone = "fr-centre-2", PageSize = 1000 });
        var server = listed.Servers.Last(s => s.InstanceCount == 0 && s.GpuModel.Length == 0 && s.Lifecycle == ServerLifecycle.Active).Id;
        await servers.CordonServerAsync(new ServerRequest { Id = server });
        try
        {
            await SameRefusalAsync(() => servers.DecommissionServerAsync(new ServerRequest { Id = server, ValidateOnly = true }).ResponseAsync,
                () => servers.DecommissionServerAsync(new ServerRequest { Id = server }).ResponseAsync, StatusCode.FailedPrecondition, "APPROVAL_REQUIRED");
            var approval = await ApprovedAsync("op-idf-2", ApprovalAction.DecommissionServer, server, approver: "so-1");

            var dry = await servers.DecommissionServerAsync(new ServerRequest { Id = server, ApprovalId = approval.Id, ValidateOnly = true });

            Assert.Equal(ServerLifecycle.Decommissioned, dry.Lifecycle);
            Assert.Equal(ServerLifecycle.Cordoned, (await new Topology.TopologyClient(host.As("op-idf-2", "DE")).GetServerAsync(new GetServerRequest { Id = server })).Lifecycle);
            var kept = await GetApprovalAsync(approval.Id);
            Assert.Equal(ApprovalState.Approved, kept.State);
            Assert.Null(kept.UsedAt);
        }
        finally
        {
            await servers.UncordonServerAsync(new ServerRequest { Id = server });
        }
    }

    [Fact]
    public async Task Dry_lockbox_requests_decisions_and_revocations_answer_as_the_real_ones_and_change_no_grant()
    {
        var tenant = await TenantAsync("dry-lbx-t");
        var access = AccessAs("so-1");
        await access.RegisterPrincipalAsync(new RegisterPrincipalRequest { Principal = new Principal { Id = "dry-lbx-admin", Kind = PrincipalKind.Person, Employer = "operator" } });
        await access.AssignRoleAsync(new AssignRoleRequest { Principal = "dry-lbx-admin", Role = Role.TenantAdmin, Scope = $"tenant:{tenant}" });
        var (holder, admin) = (new Lockbox.LockboxClient(host.As("op-idf-1")), new Lockbox.LockboxClient(host.As("dry-lbx-admin")));
        RequestTenantAccessRequest Ask(string to, bool dry) => new()
        {
            TenantId = to, Justification = "incident 7", Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(1)), ValidateOnly = dry,
        };
        async Task<IReadOnlyList<AccessGrant>> GrantsAsync() => (await admin.ListTenantAccessAsync(new ListTenantAccessRequest { TenantId = tenant })).Grants;

        // A dry request: the grant as it would be, without an id, and none stored; an unknown tenant refused as for real.
        var dry = await holder.RequestTenantAccessAsync(Ask(tenant, dry: true));
        Assert.Equal(("", tenant, "op-idf-1", AccessGrantState.Pending), (dry.Id, dry.TenantId, dry.Principal, dry.State));
        Assert.Empty(await GrantsAsync());
        await SameRefusalAsync(() => holder.RequestTenantAccessAsync(Ask("dry-lbx-nowhere", dry: true)).ResponseAsync,
            () => holder.RequestTenantAccessAsync(Ask("dry-lbx-nowhere", dry: false)).ResponseAsync, StatusCode.NotFound, "TENANT_NOT_FOUND");

        // On a pending grant: the holder cannot decide it; the administrator's dry decisions and the holder's dry revocation
        // answer the grant as they would leave it, and it stays pending.
        var grant = await holder.RequestTenantAccessAsync(Ask(tenant, dry: false));
        TenantAccessRequest On(string id, bool dry) => new() { TenantId = tenant, GrantId = id, ValidateOnly = dry };
        await SameRefusalAsync(() => holder.ApproveTenantAccessAsync(On(grant.Id, dry: true)).ResponseAsync,
            () => holder.ApproveTenantAccessAsync(On(grant.Id, dry: false)).ResponseAsync, StatusCode.PermissionDenied, "ROLE_REQUIRED");
        var approved = await admin.ApproveTenantAccessAsync(On(grant.Id, dry: true));
        Assert.Equal((grant.Id, AccessGrantState.Active, "dry-lbx-admin"), (approved.Id, approved.State, approved.DecidedBy));
        Assert.True(approved.ExpiresAt.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(59));
        Assert.Equal(AccessGrantState.Rejected, (await admin.RejectTenantAccessAsync(On(grant.Id, dry: true))).State);
        Assert.Equal(AccessGrantState.Revoked, (await holder.RevokeTenantAccessAsync(On(grant.Id, dry: true))).State);
        var other = new Lockbox.LockboxClient(host.As("op-rennes"));
        await SameRefusalAsync(() => other.RevokeTenantAccessAsync(On(grant.Id, dry: true)).ResponseAsync,
            () => other.RevokeTenantAccessAsync(On(grant.Id, dry: false)).ResponseAsync, StatusCode.PermissionDenied, "ROLE_REQUIRED");
        var stored = Assert.Single(await GrantsAsync());
        Assert.Equal((grant.Id, AccessGrantState.Pending, ""), (stored.Id, stored.State, stored.DecidedBy));
        await Api.FailsAsync(() => new Provisioning.ProvisioningClient(host.As("op-idf-1")).ListInstancesAsync(new ListInstancesRequest { TenantId = tenant }).ResponseAsync,
            StatusCode.PermissionDenied, "LOCKBOX_GRANT_REQUIRED");

        // Active: a rejection is refused as the real one; a review is for break-glass grants only, dry or not.
        await admin.ApproveTenantAccessAsync(On(grant.Id, dry: false));
        await SameRefusalAsync(() => admin.RejectTenantAccessAsync(On(grant.Id, dry: true)).ResponseAsync,
            () => admin.RejectTenantAccessAsync(On(grant.Id, dry: false)).ResponseAsync, StatusCode.FailedPrecondition, "GRANT_STATE_CONFLICT");
        var officer = new Lockbox.LockboxClient(host.As("so-1"));
        await SameRefusalAsync(() => officer.ReviewBreakGlassAsync(On(grant.Id, dry: true)).ResponseAsync,
            () => officer.ReviewBreakGlassAsync(On(grant.Id, dry: false)).ResponseAsync, StatusCode.FailedPrecondition, "GRANT_STATE_CONFLICT");
        await holder.RevokeTenantAccessAsync(On(grant.Id, dry: false));
    }

    [Fact]
    public async Task A_dry_break_glass_checks_its_approval_without_using_it_and_a_dry_review_records_nothing()
    {
        var tenant = await TenantAsync("dry-bg-t");
        var holder = new Lockbox.LockboxClient(host.As("op-idf-1"));
        var officer = new Lockbox.LockboxClient(host.As("so-1"));
        BreakGlassRequest Break(string approvalId, bool dry) => new() { TenantId = tenant, ApprovalId = approvalId, ValidateOnly = dry };
        async Task<IReadOnlyList<AccessGrant>> GrantsAsync() => (await officer.ListTenantAccessAsync(new ListTenantAccessRequest { TenantId = tenant })).Grants;

        await SameRefusalAsync(() => holder.BreakGlassAsync(Break("apr-000000", dry: true)).ResponseAsync,
            () => holder.BreakGlassAsync(Break("apr-000000", dry: false)).ResponseAsync, StatusCode.NotFound, "APPROVAL_NOT_FOUND");
        var approval = await ApprovedAsync("op-idf-1", ApprovalAction.BreakGlass, tenant);
        var stranger = new Lockbox.LockboxClient(host.As("op-rennes"));
        await SameRefusalAsync(() => stranger.BreakGlassAsync(Break(approval.Id, dry: true)).ResponseAsync,
            () => stranger.BreakGlassAsync(Break(approval.Id, dry: false)).ResponseAsync, StatusCode.FailedPrecondition, "APPROVAL_NOT_USABLE");

        var dry = await holder.BreakGlassAsync(Break(approval.Id, dry: true));

        Assert.Equal(("", AccessGrantState.Active, true, approval.Id, true), (dry.Id, dry.State, dry.BreakGlass, dry.ApprovalId, dry.NeedsReview));
        Assert.Equal("so-2", dry.DecidedBy);
        Assert.Empty(await GrantsAsync());
        var kept = await GetApprovalAsync(approval.Id);
        Assert.Equal(ApprovalState.Approved, kept.State);
        Assert.Null(kept.UsedAt);

        // The real break-glass uses it; a dry review answers the grant reviewed and records nothing.
        var grant = await holder.BreakGlassAsync(Break(approval.Id, dry: false));
        Assert.Equal(ApprovalState.Used, (await GetApprovalAsync(approval.Id)).State);
        TenantAccessRequest On(bool dry) => new() { TenantId = tenant, GrantId = grant.Id, ValidateOnly = dry };
        await SameRefusalAsync(() => holder.ReviewBreakGlassAsync(On(dry: true)).ResponseAsync,
            () => holder.ReviewBreakGlassAsync(On(dry: false)).ResponseAsync, StatusCode.PermissionDenied, "ROLE_REQUIRED");
        var reviewed = await officer.ReviewBreakGlassAsync(On(dry: true));
        Assert.Equal(("so-1", false), (reviewed.ReviewedBy, reviewed.NeedsReview));
        var stored = Assert.Single(await GrantsAsync());
        Assert.Equal(("", true), (stored.ReviewedBy, stored.NeedsReview));
        await holder.RevokeTenantAccessAsync(On(dry: false));
    }

    private async Task<string> TenantAsync(string id)
    {
        var request = new CreateTenantRequest { Id = id, DisplayName = id, Quota = Api.Res(8, 32) };
        request.AllowedRegions.Add("france-centre");
        await new Contracts.V1.Tenants.TenantsClient(host.As("svc:tooling")).CreateTenantAsync(request);
        return id;
    }
}
