using System.Diagnostics;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The loss of France Centre: its agents go dead and the silos of its ops centre (Île-de-France,
/// silos 1 and 2) are killed. France Sud's silo fails the region over; every protected instance must
/// run in France Sud (RTO, printed) and no acknowledged operation may be lost (RPO = 0). Then the
/// centre comes back and the region fails back.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class DisasterRecoveryDrillTests(LocalCluster cluster)
{
    private const int Protected = 30;
    private const int Unprotected = 5;
    private static readonly string[] CentreZones = ["fr-centre-1", "fr-centre-2", "fr-centre-3"];

    [Fact]
    public async Task Losing_france_centre_fails_every_protected_instance_over_to_france_sud_without_losing_an_acknowledged_operation()
    {
        // As in the platform's history: France Sud turns into France Centre's disaster-recovery region.
        await SetSudRoleAsync(RegionRole.DisasterRecovery);
        try
        {
            await DrillAsync();
        }
        finally
        {
            await SetSudRoleAsync(RegionRole.Production);
        }
    }

    private async Task DrillAsync()
    {
        // Every silo follows the topology change log within seconds: wait until the silo of France Centre's recovery grain has it.
        Assert.True(await Calls.EventuallyAsync(async () => (await StatusAsync(1)).DrRegion == "france-sud", TimeSpan.FromSeconds(30)));
        await cluster.CreateTenantAsync("drill", 400, "france-centre", "france-sud");
        var acknowledged = await Task.WhenAll(Enumerable.Range(0, Protected + Unprotected).Select(async i =>
        {
            var request = new CreateInstanceRequest
            {
                RequestId = $"drill-{i}", TenantId = "drill", Name = $"vm-{i}", Size = "Standard_D2s_v5", Region = "france-centre",
            };
            var operation = await Calls.RetryAsync(i % 2 + 1, silo => cluster.Provisioning(silo).CreateInstanceAsync(request, deadline: Calls.Deadline()).ResponseAsync);
            return await cluster.WaitTerminalAsync(operation.Id, TimeSpan.FromSeconds(60));
        }));
        Assert.All(acknowledged, o => Assert.Equal(OperationState.Succeeded, o.State));
        var protectedIds = acknowledged.Take(Protected).Select(o => o.InstanceId).ToList();
        var unprotectedIds = acknowledged.Skip(Protected).Select(o => o.InstanceId).ToList();
        foreach (var id in protectedIds)
        {
            var protection = await Calls.RetryAsync(1, silo => cluster.Recovery(silo).SetInstanceProtectionAsync(
                new SetInstanceProtectionRequest { InstanceId = id, Protected = true }, deadline: Calls.Deadline()).ResponseAsync);
            // France Sud may have more zones than fr-sud-1 by now (the topology tests add one).
            Assert.True(protection.ReservedServerId.StartsWith("fr-sud-", StringComparison.Ordinal) && protection.DrRegion == "france-sud",
                $"{id}: reserved on '{protection.ReservedServerId}' in '{protection.DrRegion}' {protection.Problem}");
        }
        var before = await StatusAsync(1);
        Assert.Equal((DrMode.Normal, "france-sud"), (before.Mode, before.DrRegion));
        Assert.True(before.ReservedInstances >= Protected, $"{before.ReservedInstances} reserved");

        var clock = Stopwatch.StartNew();
        await cluster.Fleet.SetDeadAsync(new SetDeadRequest { Zones = { CentreZones }, Dead = true });
        await cluster.KillAsync(1);
        await cluster.KillAsync(2);
        try
        {
            await StartFailoverAsync();
            var started = clock.Elapsed;
            var recovered = await Calls.EventuallyAsync(async () =>
            {
                var now = await Task.WhenAll(protectedIds.Select(GetInstanceAsync));
                return now.All(i => i.Region == "france-sud" && i.State == InstanceState.Running);
            }, TimeSpan.FromMinutes(4));
            var rto = clock.Elapsed;
            Assert.True(recovered, $"not every protected instance runs in France Sud after {rto.TotalSeconds:0} s: {(await StatusAsync(3)).LastRun}\n{cluster.Log(3)}");
            await WhenFailedOverAsync();
            var after = await StatusAsync(3);
            Console.WriteLine($"France Centre lost (agents dead, Île-de-France silos killed): failover started after {started.TotalSeconds:0.0} s, " +
                $"{Protected} protected instances running in France Sud after {rto.TotalSeconds:0.0} s (RTO); run: {after.LastRun.Done}/{after.LastRun.Total} moved, " +
                $"{after.LastRun.Failed.Count} given up, {after.LastRun.LostInstanceIds.Count} unprotected reported lost, " +
                $"{(after.LastRun.EndTime.ToDateTimeOffset() - after.LastRun.StartTime.ToDateTimeOffset()).TotalSeconds:0.0} s from the failover's start to its end");

            // RPO: every acknowledged operation and instance is still there.
            foreach (var operation in acknowledged)
            {
                var now = await Calls.RetryAsync(3, silo => cluster.Provisioning(silo).GetOperationAsync(new GetOperationRequest { Id = operation.Id }, deadline: Calls.Deadline()).ResponseAsync);
                Assert.Equal(OperationState.Succeeded, now.State);
            }
            Assert.All(unprotectedIds, id => Assert.Contains(id, after.LastRun.LostInstanceIds));
            Assert.All(protectedIds, id => Assert.DoesNotContain(id, after.LastRun.LostInstanceIds));
            foreach (var id in unprotectedIds) Assert.Equal("france-centre", (await GetInstanceAsync(id)).Region);
            var refused = await Assert.ThrowsAsync<RpcException>(() => cluster.Provisioning(3).CreateInstanceAsync(new CreateInstanceRequest
            {
                RequestId = "drill-refused", TenantId = "drill", Name = "late", Size = "Standard_D2s_v5", Region = "france-centre",
            }, deadline: Calls.Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        }
        finally
        {
            await cluster.Fleet.SetDeadAsync(new SetDeadRequest { Zones = { CentreZones }, Dead = false });
            await cluster.StartAsync(1);
            await cluster.StartAsync(2);
        }

        // The centre is back: fail back, and the protected instances return, moved live.
        clock.Restart();
        await Calls.RetryAsync(1, silo => cluster.Recovery(silo, "operator-idf-1").FailbackAsync(new RegionRecoveryRequest
        {
            Region = "france-centre", Actor = "drill", Reason = "France Centre restored",
        }, deadline: Calls.Deadline()).ResponseAsync);
        var returned = await Calls.EventuallyAsync(async () => (await StatusAsync(1)).Mode == DrMode.Normal, TimeSpan.FromMinutes(3));
        var back = await StatusAsync(1);
        Assert.True(returned, $"failback did not end: {back.LastRun}");
        Console.WriteLine($"failback: {back.LastRun.Done}/{back.LastRun.Total} instances back in France Centre after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(back.LastRun.Failed);
        Assert.All(await Task.WhenAll(protectedIds.Select(GetInstanceAsync)), i => Assert.Equal(("france-centre", ""), (i.Region, i.HomeRegion)));

        // The drill's protections end, so France Sud can go back to production for the other tests.
        foreach (var id in protectedIds)
        {
            await Calls.RetryAsync(1, silo => cluster.Recovery(silo).SetInstanceProtectionAsync(
                new SetInstanceProtectionRequest { InstanceId = id, Protected = false }, deadline: Calls.Deadline()).ResponseAsync);
        }
        Assert.Equal(0, (await StatusAsync(1)).ReservedInstances);
    }

    private async Task SetSudRoleAsync(RegionRole role)
    {
        try
        {
            await Calls.RetryAsync(1, silo => cluster.Topology(silo, "operator-rennes-1").SetRegionRoleAsync(new SetRegionRoleRequest
            {
                Region = "france-sud", Role = role, Actor = "drill", Reason = "disaster-recovery drill",
            }, deadline: Calls.Deadline()).ResponseAsync);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && RpcReason(e) == "REGION_ROLE_UNCHANGED")
        {
        }
    }

    private static string RpcReason(RpcException e) => e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "";

    /// <summary>
    /// Rennes operators fail France Centre over, four-eyes, as soon as the cluster has noticed the dead
    /// silos and recorded Rennes' takeover (before that, France Centre is not theirs to administer);
    /// a repeat finds the run already started.
    /// </summary>
    private async Task StartFailoverAsync()
    {
        var clock = Stopwatch.StartNew();
        var approval = await UntilAcceptedAsync(clock, () => cluster.Approvals(3, "operator-rennes-1").RequestApprovalAsync(new RequestApprovalRequest
        {
            Action = ApprovalAction.Failover, Target = "france-centre", Justification = "France Centre lost",
        }, deadline: Calls.Deadline()).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => cluster.Approvals(3, "operator-rennes-1").ApproveAsync(
            new DecideApprovalRequest { Id = approval.Id }, deadline: Calls.Deadline()).ResponseAsync);
        await UntilAcceptedAsync(clock, () => cluster.Approvals(3, "operator-rennes-2").ApproveAsync(
            new DecideApprovalRequest { Id = approval.Id }, deadline: Calls.Deadline()).ResponseAsync);
        Console.WriteLine($"failover approved (four-eyes, Rennes) {clock.Elapsed.TotalSeconds:0.0} s after the first attempt");

        var request = new RegionRecoveryRequest { Region = "france-centre", Reason = "France Centre lost", ApprovalId = approval.Id };
        while (true)
        {
            try
            {
                await cluster.Recovery(3, "operator-rennes-1").FailoverAsync(request, deadline: Calls.Deadline());
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                // A first attempt that timed out on the caller's side may have started the run.
                Assert.Contains((await StatusAsync(3)).Mode, new[] { DrMode.FailingOver, DrMode.FailedOver });
                return;
            }
            catch (RpcException e) when (clock.Elapsed < TimeSpan.FromSeconds(90)
                && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
            {
                // The cluster has not yet declared the killed silos dead, or the grains are moving to silo 3.
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Repeats a call while the cluster is still noticing the loss: unavailable, or Rennes not yet the pilot of France Centre.</summary>
    private static async Task<T> UntilAcceptedAsync<T>(Stopwatch clock, Func<Task<T>> call)
    {
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (clock.Elapsed < TimeSpan.FromSeconds(90)
                && (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown
                    || RpcReason(e) == "WRONG_OPS_CENTRE"))
            {
                await Task.Delay(500);
            }
        }
    }

    private async Task WhenFailedOverAsync() =>
        Assert.True(await Calls.EventuallyAsync(async () => (await StatusAsync(3)).Mode == DrMode.FailedOver, TimeSpan.FromMinutes(2)));

    private Task<RegionProtection> StatusAsync(int first) =>
        Calls.RetryAsync(first, silo => cluster.Recovery(silo).GetRegionProtectionAsync(new GetRegionProtectionRequest { Region = "france-centre" }, deadline: Calls.Deadline()).ResponseAsync);

    private Task<Instance> GetInstanceAsync(string id) =>
        Calls.RetryAsync(3, silo => cluster.Provisioning(silo).GetInstanceAsync(new GetInstanceRequest { Id = id }, deadline: Calls.Deadline()).ResponseAsync);
}
