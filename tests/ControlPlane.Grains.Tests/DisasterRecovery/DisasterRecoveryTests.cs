using System.Diagnostics;
using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Zones;

namespace ControlPlane.Grains.Tests.DisasterRecovery;

/// <summary>
/// Protection, failover and failback of region "drp" (zone drp-a: 3 servers of 16 cores and 1 with
/// 2 L4 GPUs) to the disaster-recovery region "drs" (zone drs-a: 6 servers of 16 cores, no GPU).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DisasterRecoveryTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IDisasterRecoveryGrain Recovery => _grains.GetGrain<IDisasterRecoveryGrain>("drp");

    private async Task<DrStatus> StatusWhenAsync(Func<DrStatus, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await Recovery.GetStatusAsync();
            if (condition(status)) return status;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"region drp is still {status.Mode}: {status.LastRun}");
            await Task.Delay(100);
        }
    }

    private async Task<InstanceInfo> CreateAsync(string tenant, string name, string size = "s4") =>
        await _grains.InstanceAsync((await _grains.WaitAsync(await _grains.CreateAsync(tenant, name, size, "drp"))).InstanceId);

    [Fact]
    public async Task Protected_instances_fail_over_onto_their_reservations_and_fail_back_while_unprotected_ones_are_reported_lost()
    {
        await _grains.TenantAsync("dr-flow", Provision.Quota(64), "drp", "drs");
        var web = await CreateAsync("dr-flow", "web");
        var db = await CreateAsync("dr-flow", "db", "s8");
        var scratch = await CreateAsync("dr-flow", "scratch");

        var webProtection = await Recovery.ProtectAsync(web.Id);
        var dbProtection = await Recovery.ProtectAsync(db.Id);
        var reservedOn = await _grains.GetGrain<IServerGrain>(webProtection.ReservedServerId).GetAsync();
        var protectedRecord = await _grains.InstanceAsync(web.Id);

        Assert.Equal(("drs", "drs-a", ""), (webProtection.DrRegion, webProtection.ReservedZone, webProtection.Problem));
        Assert.Contains(reservedOn.Allocations, a => a.InstanceId == ServerAllocation.ReservationId(web.Id) && a.IsReservation && a.Resources == web.Resources);
        Assert.True(protectedRecord.DrProtected);
        Assert.Equal((2, 2), ((await Recovery.GetStatusAsync()).Protected, (await Recovery.GetStatusAsync()).Reserved));

        var started = await Recovery.FailoverAsync("dr-drill", "yearly drill");
        var refused = await Provision.FailsAsync(() => _grains.CreateAsync("dr-flow", "new", "s4", "drp"), ErrorStatus.FailedPrecondition, ErrorReasons.RegionFailedOver);
        var again = await Provision.FailsAsync(() => Recovery.FailoverAsync("dr-drill", "twice"), ErrorStatus.FailedPrecondition, ErrorReasons.DrStateConflict);
        var over = await StatusWhenAsync(s => s.Mode == DrMode.FailedOver);
        var failedOverWeb = await _grains.InstanceAsync(web.Id);
        var failedOverDb = await _grains.InstanceAsync(db.Id);
        var oldServer = await _grains.GetGrain<IServerGrain>(web.ServerId).GetAsync();

        Assert.Equal((true, 2, "dr-drill"), (started.LastRun!.Failover, started.LastRun.Total, started.LastRun.Actor));
        Assert.Equal("drp", refused.Metadata["region"]);
        Assert.Equal("failing-over", again.Metadata["mode"]);
        Assert.Equal((2, 0), (over.LastRun!.Done, over.LastRun.Failed.Count));
        Assert.StartsWith("failed over", over.Unreserved.Single(p => p.InstanceId == web.Id).Problem);
        Assert.Contains(scratch.Id, over.LastRun.Lost);
        Assert.DoesNotContain(web.Id, over.LastRun.Lost);
        Assert.DoesNotContain(db.Id, over.LastRun.Lost);
        Assert.NotNull(over.LastRun.EndTime);
        Assert.Equal(("drs", "drp", InstanceState.Running), (failedOverWeb.Region, failedOverWeb.HomeRegion, failedOverWeb.State));
        Assert.Equal(webProtection.ReservedServerId, failedOverWeb.ServerId);
        Assert.Equal(dbProtection.ReservedServerId, failedOverDb.ServerId);
        Assert.Equal(InstanceConditions.ReasonFailedOver, failedOverWeb.Condition(InstanceConditions.Placed)!.Reason);
        Assert.DoesNotContain(oldServer.Allocations, a => a.InstanceId == web.Id);
        var landed = await _grains.GetGrain<IServerGrain>(failedOverWeb.ServerId).GetAsync();
        Assert.Contains(landed.Allocations, a => a.InstanceId == web.Id && !a.IsReservation);
        Assert.DoesNotContain(landed.Allocations, a => a.IsReservation && a.InstanceId == ServerAllocation.ReservationId(web.Id));

        await Recovery.FailbackAsync("dr-drill", "drill over");
        var back = await StatusWhenAsync(s => s.Mode == DrMode.Normal && s.Reserved == 2);
        var home = await _grains.InstanceAsync(web.Id);

        Assert.Equal((false, 2, 0), (back.LastRun!.Failover, back.LastRun.Done, back.LastRun.Failed.Count));
        Assert.Equal(("drp", "", InstanceState.Running), (home.Region, home.HomeRegion, home.State));
        Assert.Equal(InstanceConditions.ReasonFailedBack, home.Condition(InstanceConditions.Placed)!.Reason);
        Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(await _grains.CreateAsync("dr-flow", "after", "s4", "drp"))).State);
    }

    [Fact]
    public async Task Protection_outside_the_tenants_regions_is_refused_and_a_missing_reservation_is_reported()
    {
        await _grains.TenantAsync("dr-resident", Provision.Quota(16), "drp");
        await _grains.TenantAsync("dr-gpu", Provision.Quota(16), "drp", "drs");
        var resident = await CreateAsync("dr-resident", "local-only");
        var gpu = await CreateAsync("dr-gpu", "render", "g1");

        var refused = await Provision.FailsAsync(() => Recovery.ProtectAsync(resident.Id), ErrorStatus.FailedPrecondition, ErrorReasons.DrRegionNotAllowed);
        var unreserved = await Recovery.ProtectAsync(gpu.Id);
        var status = await Recovery.GetStatusAsync();

        Assert.Equal(("drs", "dr-resident"), (refused.Metadata["dr_region"], refused.Metadata["tenant_id"]));
        Assert.False((await _grains.InstanceAsync(resident.Id)).DrProtected);
        Assert.False(unreserved.IsReserved);
        Assert.StartsWith(ErrorReasons.NoCapacity, unreserved.Problem);
        Assert.Contains(status.Unreserved, p => p.InstanceId == gpu.Id);

        // Deleting a protected instance ends its protection.
        await _grains.WaitAsync(await _grains.DeleteAsync(gpu.Id));
        Assert.DoesNotContain((await Recovery.GetStatusAsync()).Unreserved, p => p.InstanceId == gpu.Id);
    }

    [Fact]
    public async Task Ending_a_protection_or_deleting_the_instance_frees_its_reservation()
    {
        await _grains.TenantAsync("dr-free", Provision.Quota(32), "drp", "drs");
        var a = await CreateAsync("dr-free", "a", "s16");
        var b = await CreateAsync("dr-free", "b", "s16");
        var pa = await Recovery.ProtectAsync(a.Id);
        var pb = await Recovery.ProtectAsync(b.Id);
        var zone = _grains.GetGrain<IZoneGrain>("drs-a");
        var freeWhileReserved = (await zone.GetAsync()).Free;

        await Recovery.UnprotectAsync(a.Id, deleted: false);
        await _grains.WaitAsync(await _grains.DeleteAsync(b.Id));
        var freeAfter = (await zone.GetAsync()).Free;

        Assert.True(pa.IsReserved && pb.IsReserved);
        Assert.Equal(freeWhileReserved.Cores + 32, freeAfter.Cores);
        Assert.False((await _grains.InstanceAsync(a.Id)).DrProtected);
        Assert.DoesNotContain((await _grains.GetGrain<IServerGrain>(pa.ReservedServerId).GetAsync()).Allocations, x => x.IsReservation && x.InstanceId.EndsWith(a.Id));
    }
}
