using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// Dry runs with security enforced: a retirement's, a decommission's and a failover's dry run need the same right and the
/// same four-eyes approval as the real call, and leave the approval usable. Its own secure host: france-sud is made the
/// disaster-recovery region and france-centre really fails over at the end.
/// </summary>
public sealed class SecureDryRunTests(SecureHostFixture host) : IClassFixture<SecureHostFixture>
{
    private Contracts.V1.Topology.TopologyClient Topology(string who) => new(host.As(who));
    private DisasterRecovery.DisasterRecoveryClient Recovery(string who) => new(host.As(who));
    private Approvals.ApprovalsClient Approvals(string who) => new(host.As(who));

    /// <summary>An approval op-idf-1 asks for and a security officer grants.</summary>
    private async Task<Approval> ApprovedAsync(ApprovalAction action, string target)
    {
        var request = await Approvals("op-idf-1").RequestApprovalAsync(new RequestApprovalRequest { Action = action, Target = target, Justification = "dry-run test" });
        return await Approvals("so-1").ApproveAsync(new DecideApprovalRequest { Id = request.Id });
    }

    private async Task<ApprovalState> StateAsync(Approval approval) =>
        (await Approvals("so-1").GetApprovalAsync(new GetApprovalRequest { Id = approval.Id })).State;

    [Fact]
    public async Task Four_eyes_dry_runs_need_the_approval_the_real_call_needs_and_leave_it_usable()
    {
        await Topology("op-rennes").SetRegionRoleAsync(new SetRegionRoleRequest { Region = "france-sud", Role = RegionRole.DisasterRecovery, Reason = "DR site" });
        RetireZoneRequest Retire(bool dry, string approvalId = "") => new() { Zone = "fr-centre-3", Reason = "dry run", ApprovalId = approvalId, ValidateOnly = dry };
        RegionRecoveryRequest Failover(bool dry, string approvalId = "") => new() { Region = "france-centre", Reason = "drill", ApprovalId = approvalId, ValidateOnly = dry };

        // Without an approval, or from the wrong operations centre: refused by both.
        await Api.SameRefusalAsync(dry => Topology("op-idf-1").RetireZoneAsync(Retire(dry)).ResponseAsync, StatusCode.FailedPrecondition, "APPROVAL_REQUIRED");
        await Api.SameRefusalAsync(dry => Recovery("op-idf-1").FailoverAsync(Failover(dry)).ResponseAsync, StatusCode.FailedPrecondition, "APPROVAL_REQUIRED");
        await Api.SameRefusalAsync(dry => Recovery("op-idf-2").FailoverAsync(Failover(dry)).ResponseAsync, StatusCode.FailedPrecondition, "APPROVAL_REQUIRED");
        var retirement = await ApprovedAsync(ApprovalAction.RetireZone, "fr-centre-3");
        await Api.SameRefusalAsync(dry => Topology("op-rennes").RetireZoneAsync(Retire(dry, retirement.Id)).ResponseAsync, StatusCode.PermissionDenied, "WRONG_OPS_CENTRE");

        // With the approval: the dry runs answer what the real calls would, twice, and use nothing up.
        var latest = (await Topology("op-idf-1").ListTopologyChangesAsync(new ListTopologyChangesRequest())).LatestVersion;
        for (var i = 0; i < 2; i++)
        {
            var change = await Topology("op-idf-1").RetireZoneAsync(Retire(dry: true, retirement.Id));
            Assert.Equal((TopologyChangeKind.RetireZone, "fr-centre-3", "op-idf-1", latest + 1), (change.Kind, change.Zone, change.Actor, change.Version));
        }
        Assert.Equal(ApprovalState.Approved, await StateAsync(retirement));
        Assert.Equal(latest, (await Topology("op-idf-1").ListTopologyChangesAsync(new ListTopologyChangesRequest())).LatestVersion);
        Assert.Equal(ZoneState.Active, (await Topology("op-idf-1").ListZonesAsync(new ListZonesRequest { Region = "france-centre" })).Zones.Single(z => z.Id == "fr-centre-3").State);

        // The same for a decommission (the server grain's check, shared with the real one).
        const string server = "fr-centre-1-r040-s11";
        var servers = new Servers.ServersClient(host.As("op-idf-1"));
        await servers.DrainServerAsync(new ServerRequest { Id = server });
        await Api.SameRefusalAsync(d => servers.DecommissionServerAsync(new ServerRequest { Id = server, ValidateOnly = d }).ResponseAsync,
            StatusCode.FailedPrecondition, "APPROVAL_REQUIRED");
        var decommission = await ApprovedAsync(ApprovalAction.DecommissionServer, server);
        var decommissioned = await servers.DecommissionServerAsync(new ServerRequest { Id = server, ApprovalId = decommission.Id, ValidateOnly = true });
        Assert.Equal(ServerLifecycle.Decommissioned, decommissioned.Lifecycle);
        Assert.Equal(ApprovalState.Approved, await StateAsync(decommission));
        Assert.Equal(ServerLifecycle.Drained, (await Topology("op-idf-1").GetServerAsync(new GetServerRequest { Id = server })).Lifecycle);

        var failover = await ApprovedAsync(ApprovalAction.Failover, "france-centre");
        var dry = await Recovery("op-idf-1").FailoverAsync(Failover(dry: true, failover.Id));
        Assert.Equal((DrMode.FailingOver, "france-sud", "op-idf-1"), (dry.Mode, dry.DrRegion, dry.LastRun.Actor));
        Assert.Equal(ApprovalState.Approved, await StateAsync(failover));
        Assert.Equal(DrMode.Normal, (await Recovery("op-idf-1").GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = "france-centre" })).Mode);

        // The approval the dry run looked at then serves the real failover, which uses it up.
        var real = await Recovery("op-idf-1").FailoverAsync(Failover(dry: false, failover.Id));
        Assert.Equal((dry.Mode, dry.DrRegion), (real.Mode, real.DrRegion));
        Assert.Equal(ApprovalState.Used, await StateAsync(failover));
        await Api.SameRefusalAsync(d => Recovery("op-idf-1").FailoverAsync(Failover(d, failover.Id)).ResponseAsync, StatusCode.FailedPrecondition, "DR_STATE_CONFLICT");
    }
}
