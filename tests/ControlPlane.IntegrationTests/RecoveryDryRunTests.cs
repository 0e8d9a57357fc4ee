using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// Disaster recovery's dry runs through a whole cycle over real gRPC — protect, fail over, fail back — each answered as
/// the real call is, and each leaving the region as it was. Its own host: the real failover it makes between the dry
/// runs would stop france-centre's placements for the tests sharing the common one.
/// </summary>
public sealed class RecoveryDryRunTests(HostFixture host) : IClassFixture<HostFixture>
{
    private const string Tenant = "dr-dry-run";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private DisasterRecovery.DisasterRecoveryClient Recovery => new(host.Channel);

    private static RegionRecoveryRequest Run(bool dry) => new() { Region = "france-centre", Actor = "ops-idf", Reason = "drill", ValidateOnly = dry };

    private async Task<RegionProtection> StatusAsync() =>
        await Recovery.GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = "france-centre" });

    private async Task<Instance> InstanceAsync(string id) => await host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = id });

    /// <summary>A create's dry run in france-centre: answers whether the region takes placements, creating nothing.</summary>
    private Task<Operation> CreateDryRunAsync() => host.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
    {
        RequestId = Guid.NewGuid().ToString(), TenantId = Tenant, Name = "probe", Size = "Standard_D2s_v5", Region = "france-centre", ValidateOnly = true,
    }).ResponseAsync;

    private Task ReachesAsync(DrMode mode) => Eventually.HoldsAsync(async () =>
    {
        var s = await StatusAsync();
        return (s.Mode == mode, $"{s.Mode}, {s.LastRun?.Done}/{s.LastRun?.Total}, failed: {string.Join("; ", s.LastRun?.Failed.Select(f => $"{f.Key}: {f.Value}") ?? [])}");
    }, Bound);

    [Fact]
    public async Task Protect_failover_and_failback_dry_runs_answer_as_the_real_calls_and_leave_the_region_as_it_was()
    {
        await host.CreateTenantAsync(Tenant, Api.Res(16, 64), "france-centre", "france-sud");
        var db = (await host.WaitAsync(await host.CreateInstanceAsync(Tenant, "db", "Standard_D2s_v5"))).InstanceId;
        var web = (await host.WaitAsync(await host.CreateInstanceAsync(Tenant, "web", "Standard_D2s_v5"))).InstanceId;
        await host.Topology.SetRegionRoleAsync(new SetRegionRoleRequest { Region = "france-sud", Role = RegionRole.DisasterRecovery, Actor = "ops-rennes", Reason = "DR site" });

        // Protect: the dry run finds the reservation the real call then makes, and reserves nothing itself.
        var dryProtect = await Recovery.SetInstanceProtectionAsync(new SetInstanceProtectionRequest { InstanceId = db, Protected = true, ValidateOnly = true });
        Assert.Equal((true, "france-sud", ""), (dryProtect.Protected, dryProtect.DrRegion, dryProtect.Problem));
        Assert.StartsWith("fr-sud-", dryProtect.ReservedZone);
        var unprotected = await StatusAsync();
        Assert.Equal((0, 0), (unprotected.ProtectedInstances, unprotected.ReservedInstances));
        Assert.False((await InstanceAsync(db)).DrProtected);
        var protect = await Recovery.SetInstanceProtectionAsync(new SetInstanceProtectionRequest { InstanceId = db, Protected = true });
        Assert.Equal((dryProtect.DrRegion, dryProtect.ReservedZone), (protect.DrRegion, protect.ReservedZone));

        // Failback before any failover: refused by both.
        await Api.SameRefusalAsync(dry => Recovery.FailbackAsync(Run(dry)).ResponseAsync, StatusCode.FailedPrecondition, "DR_STATE_CONFLICT");

        // Failover: the dry run answers the run as it would start, and starts nothing.
        var dryFailover = await Recovery.FailoverAsync(Run(dry: true));
        Assert.Equal((DrMode.FailingOver, "france-sud", 1, 1), (dryFailover.Mode, dryFailover.DrRegion, dryFailover.ProtectedInstances, dryFailover.ReservedInstances));
        Assert.Equal(("failover", "ops-idf", "drill", 1, 0), (dryFailover.LastRun.Kind, dryFailover.LastRun.Actor, dryFailover.LastRun.Reason, dryFailover.LastRun.Total, dryFailover.LastRun.Done));
        Assert.Null(dryFailover.LastRun.EndTime);
        var afterDry = await StatusAsync();
        Assert.Equal((DrMode.Normal, 1), (afterDry.Mode, afterDry.ReservedInstances));
        Assert.Null(afterDry.LastRun);
        Assert.True((await CreateDryRunAsync()).ValidateOnly, "france-centre still takes placements");
        await Task.Delay(TimeSpan.FromSeconds(2)); // two periods of the run's timer: a started run would have moved db
        Assert.Equal(("france-centre", InstanceState.Running), ((await InstanceAsync(db)).Region, (await InstanceAsync(db)).State));

        // The real failover answers the same, then moves db to its reservation.
        var failover = await Recovery.FailoverAsync(Run(dry: false));
        Assert.Equal((dryFailover.Mode, dryFailover.DrRegion, dryFailover.LastRun.Kind, dryFailover.LastRun.Total), (failover.Mode, failover.DrRegion, failover.LastRun.Kind, failover.LastRun.Total));
        await ReachesAsync(DrMode.FailedOver);
        Assert.Equal("france-sud", (await InstanceAsync(db)).Region);
        var failedOver = await StatusAsync();

        // Failed over: a second failover and a protection are refused by both; the create's dry run says why.
        await Api.SameRefusalAsync(dry => Recovery.FailoverAsync(Run(dry)).ResponseAsync, StatusCode.FailedPrecondition, "DR_STATE_CONFLICT");
        var mode = await Api.SameRefusalAsync(dry => Recovery.SetInstanceProtectionAsync(
            new SetInstanceProtectionRequest { InstanceId = web, Protected = true, ValidateOnly = dry }).ResponseAsync, StatusCode.FailedPrecondition, "DR_STATE_CONFLICT");
        Assert.Equal("failed-over", mode.Metadata["mode"]);
        await Api.FailsAsync(CreateDryRunAsync, StatusCode.FailedPrecondition, "REGION_FAILED_OVER");

        // Failback: the dry run answers the run as it would start; the region stays failed over, db stays in france-sud.
        var dryFailback = await Recovery.FailbackAsync(Run(dry: true));
        Assert.Equal((DrMode.FailingBack, "failback", 1, 0), (dryFailback.Mode, dryFailback.LastRun.Kind, dryFailback.LastRun.Total, dryFailback.LastRun.Done));
        var stillFailedOver = await StatusAsync();
        Assert.Equal((DrMode.FailedOver, "failover", failedOver.LastRun.EndTime), (stillFailedOver.Mode, stillFailedOver.LastRun.Kind, stillFailedOver.LastRun.EndTime));
        await Api.FailsAsync(CreateDryRunAsync, StatusCode.FailedPrecondition, "REGION_FAILED_OVER");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("france-sud", (await InstanceAsync(db)).Region);

        // The real failback answers the same and brings db home.
        var failback = await Recovery.FailbackAsync(Run(dry: false));
        Assert.Equal((dryFailback.Mode, dryFailback.LastRun.Kind, dryFailback.LastRun.Total), (failback.Mode, failback.LastRun.Kind, failback.LastRun.Total));
        await ReachesAsync(DrMode.Normal);
        Assert.Equal("france-centre", (await InstanceAsync(db)).Region);
        Assert.True((await CreateDryRunAsync()).ValidateOnly);

        // Every dry run is audited as one.
        var audit = (await new Audit.AuditClient(host.Channel).ListAuditRecordsAsync(new ListAuditRecordsRequest { PageSize = 1000 })).Records;
        Assert.Contains(audit, r => (r.Action, r.Decision) == ("DisasterRecovery/Failover?validate_only", "allowed"));
        Assert.Contains(audit, r => (r.Action, r.Decision) == ("DisasterRecovery/Failback?validate_only", "allowed"));
        Assert.Contains(audit, r => (r.Action, r.Reason) == ("DisasterRecovery/Failover?validate_only", "DR_STATE_CONFLICT"));
    }
}
