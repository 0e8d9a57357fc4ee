using System.Diagnostics;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The loss of France Centre: its agents go dead and the silos of its ops centre (Île-de-France,
/// silos 1 and 2) are killed. France Sud's silo fails the region over; every protected instance must
/// run in France Sud (RTO, printed) and no acknowledged operation may be lost (RPO = 0). Then the
/// centre comes back and the region fails back. (The database stays up here; TwoCentreDrillTests
/// loses it with the centre.)
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class DisasterRecoveryDrillTests(LocalCluster cluster)
{
    private const int Protected = 30;
    private const int Unprotected = 5;

    [Fact]
    public async Task Losing_france_centre_fails_every_protected_instance_over_to_france_sud_without_losing_an_acknowledged_operation()
    {
        await cluster.SetSudRoleAsync(RegionRole.DisasterRecovery);
        try
        {
            await DrillAsync();
        }
        finally
        {
            await cluster.SetSudRoleAsync(RegionRole.Production);
        }
    }

    private async Task DrillAsync()
    {
        var (acknowledged, protectedIds, unprotectedIds) = await cluster.CreateProtectedAsync("drill", Protected, Unprotected);

        var clock = Stopwatch.StartNew();
        await cluster.Fleet.SetDeadAsync(new SetDeadRequest { Zones = { RegionRecovery.CentreZones }, Dead = true });
        await cluster.KillAsync(1);
        await cluster.KillAsync(2);
        try
        {
            await cluster.StartFailoverAsync();
            var started = clock.Elapsed;
            var recovered = await cluster.WhenProtectedRunInSudAsync(protectedIds, TimeSpan.FromMinutes(4));
            var rto = clock.Elapsed;
            Assert.True(recovered, $"not every protected instance runs in France Sud after {rto.TotalSeconds:0} s: {(await cluster.ProtectionAsync(3)).LastRun}\n{cluster.Log(3)}");
            await cluster.WhenFailedOverAsync();
            var after = await cluster.ProtectionAsync(3);
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
            foreach (var id in unprotectedIds) Assert.Equal("france-centre", (await cluster.GetInstanceAsync(id)).Region);
            var refused = await Assert.ThrowsAsync<RpcException>(() => cluster.Provisioning(3).CreateInstanceAsync(new CreateInstanceRequest
            {
                RequestId = "drill-refused", TenantId = "drill", Name = "late", Size = "Standard_D2s_v5", Region = "france-centre",
            }, deadline: Calls.Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        }
        finally
        {
            await cluster.Fleet.SetDeadAsync(new SetDeadRequest { Zones = { RegionRecovery.CentreZones }, Dead = false });
            await cluster.StartAsync(1);
            await cluster.StartAsync(2);
        }

        // The centre is back: fail back, and the protected instances return, moved live.
        await cluster.FailbackAsync(protectedIds);

        // The drill's protections end, so France Sud can go back to production for the other tests.
        foreach (var id in protectedIds)
        {
            await Calls.RetryAsync(1, silo => cluster.Recovery(silo).SetInstanceProtectionAsync(
                new SetInstanceProtectionRequest { InstanceId = id, Protected = false }, deadline: Calls.Deadline()).ResponseAsync);
        }
        Assert.Equal(0, (await cluster.ProtectionAsync(1)).ReservedInstances);
    }
}
