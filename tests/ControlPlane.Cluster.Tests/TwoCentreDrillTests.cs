using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Checks;
using ControlPlane.Faults.Load;
using Xunit.Abstractions;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The loss of the Île-de-France ops centre with the control plane's own database: under load, its
/// link goes down (silos 1 and 2 and the PostgreSQL primary cut off) and France Centre's agents die;
/// the operator promotes the Rennes standby (the old primary fenced first), Rennes' silo takes over and
/// its operators fail France Centre over to France Sud. RTO (loss → protected instances running in
/// France Sud; loss → creates acknowledged again) and RPO (acknowledged operations lost) are printed;
/// RPO must be 0 with synchronous replication. Then the return: the old primary rejoins as a standby
/// (pg_rewind), the Île-de-France silos come back, France Centre fails back. France Sud, a disaster-recovery
/// region during the drill, is a production region again from the failover on (the runbook's step for taking
/// new instances while France Centre is out).
/// </summary>
[Collection(TwoCentreCollection.Name), Trait("Category", "Cluster")]
public sealed class TwoCentreDrillTests(TwoCentreCluster cluster, ITestOutputHelper output)
{
    private const int Protected = 20;
    private const int Unprotected = 3;
    private const string LoadTenant = "dr-load";

    [Fact]
    public async Task Losing_ile_de_france_with_its_database_loses_no_acknowledged_operation_and_the_return_leaves_one_primary_and_a_standby()
    {
        await cluster.SetSudRoleAsync(RegionRole.DisasterRecovery);
        var (acknowledged, protectedIds, _) = await cluster.CreateProtectedAsync("drill-2c", Protected, Unprotected);
        await cluster.CreateTenantAsync(LoadTenant, 100_000, "france-centre", "france-sud");

        // Load on every gateway, creates in both regions, each retried with its request id on the next gateway.
        var history = new History();
        using var clients = new ClusterClients(cluster.FaultTarget);
        var load = new LoadGenerator(clients, new LoadPlan("dr", 3, [LoadTenant], ["france-sud", "france-centre"], DeleteShare: 0), history, new ConcurrentQueue<string>());
        using var stopLoad = new CancellationTokenSource();
        var loading = load.RunAsync(stopLoad.Token, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(5));

        await cluster.Fleet.SetDeadAsync(new SetDeadRequest { Zones = { RegionRecovery.CentreZones }, Dead = true });
        output.WriteLine((await cluster.CutAsync("idf")).Trim());
        // The loss: Île-de-France's link is down from here.
        var lossAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        output.WriteLine((await cluster.PromoteStandbyAsync()).Trim());
        var promoted = clock.Elapsed;
        Assert.True(await cluster.IsPrimaryAsync("rennes"));
        Assert.NotNull(await cluster.WriteRefusalAsync("idf"));

        await cluster.StartFailoverAsync();
        var failoverStarted = clock.Elapsed;
        var recovered = await cluster.WhenProtectedRunInSudAsync(protectedIds, TimeSpan.FromMinutes(4));
        var rto = clock.Elapsed;
        Assert.True(recovered, $"not every protected instance runs in France Sud after {rto.TotalSeconds:0} s: {(await cluster.ProtectionAsync(3)).LastRun}\n{cluster.Log(3)}");
        await cluster.WhenFailedOverAsync();

        // Runbook: with France Centre failed over, Rennes turns France Sud back into a production region, and creates are accepted again.
        await cluster.SetSudRoleAsync(RegionRole.Production, first: 3);
        var created = await Calls.RetryAsync(3, silo => cluster.Provisioning(silo).CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = "drill-2c-after", TenantId = LoadTenant, Name = "after-the-loss", Size = "Standard_D2s_v5", Region = "france-sud",
        }, deadline: Calls.Deadline()).ResponseAsync);
        Assert.Equal(OperationState.Succeeded, (await cluster.WaitTerminalAsync(created.Id, TimeSpan.FromSeconds(60))).State);
        await stopLoad.CancelAsync();
        await loading;
        var firstAcknowledged = history.Acknowledged.Where(r => r.Kind == RequestKind.Create && r.Sent >= lossAt).Select(r => r.Answered!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        Assert.True(firstAcknowledged < DateTimeOffset.MaxValue, "no create of the load was acknowledged after the loss");
        var rtoApi = firstAcknowledged - lossAt;

        output.WriteLine($"Île-de-France lost with its primary ({TwoCentreCluster.Replication} replication): standby promoted {promoted.TotalSeconds:0.0} s after the loss, " +
            $"failover started {failoverStarted.TotalSeconds:0.0} s, {Protected} protected instances running in France Sud after {rto.TotalSeconds:0.0} s (RTO), " +
            $"creates acknowledged again after {rtoApi.TotalSeconds:0.0} s; load: {history.Requests.Count} requests, {history.Acknowledged.Count()} acknowledged");

        // The return: the link back, the old primary still fenced (it refuses every write) until it rejoins as a standby.
        clock.Restart();
        output.WriteLine((await cluster.LinkUpAsync("idf")).Trim());
        Assert.NotNull(await cluster.WriteRefusalAsync("idf"));
        output.WriteLine((await cluster.RejoinAsync()).Trim());
        var rejoined = clock.Elapsed;
        await cluster.Fleet.SetDeadAsync(new SetDeadRequest { Zones = { RegionRecovery.CentreZones }, Dead = false });
        Assert.True(await Calls.EventuallyAsync(() => cluster.ActiveAsync("silo-1-idf", "silo-2-idf"), TimeSpan.FromMinutes(3)),
            $"the Île-de-France silos did not rejoin:\n{cluster.Log(1)}");
        var silosBack = clock.Elapsed;
        await cluster.FailbackAsync(protectedIds);
        output.WriteLine($"return: old primary rejoined as a standby {rejoined.TotalSeconds:0.0} s after the link came back, Île-de-France silos active after {silosBack.TotalSeconds:0.0} s, failback ended after {clock.Elapsed.TotalSeconds:0.0} s");

        // RPO: every acknowledged operation (the load's and the drill's own) is in the promoted database, which stayed the primary:
        // read once France Centre's servers answer again (whatever only the old primary held was rewound away).
        var snapshot = await new SnapshotReader(clients, cluster.ConnectionString).ReadAsync(history.Requests, [LoadTenant], openedBefore: null, CancellationToken.None);
        var checks = new[]
        {
            SafetyChecks.AcknowledgedCreatesExist(history.Requests, snapshot),
            SafetyChecks.OneInstancePerRequest(snapshot),
            SafetyChecks.ChangesAudited(history.Requests, snapshot),
            SafetyChecks.AuditLogVerifies(snapshot),
        };
        var drillLost = 0;
        foreach (var operation in acknowledged)
        {
            try
            {
                var now = await Calls.RetryAsync(3, silo => cluster.Provisioning(silo).GetOperationAsync(new GetOperationRequest { Id = operation.Id }, deadline: Calls.Deadline()).ResponseAsync);
                if (now.State != OperationState.Succeeded) drillLost++;
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
            {
                drillLost++;
            }
        }
        var rpo = checks[0].Violations + drillLost;
        output.WriteLine($"RPO ({TwoCentreCluster.Replication} replication): {rpo} acknowledged operations lost ({checks[0].Violations} of the load's " +
            $"{history.Acknowledged.Count()}, {drillLost} of the drill's {acknowledged.Count}); {snapshot.Coverage}");
        foreach (var check in checks) output.WriteLine($"  {check.Name}: {(check.Passed ? "held" : $"{check.Violations} violations: {string.Join(" | ", check.Examples)}")}");
        if (TwoCentreCluster.Replication == "sync") Assert.All(checks, c => Assert.True(c.Passed, $"{c.Name}: {string.Join(" | ", c.Examples)}"));
        if (TwoCentreCluster.Replication == "sync") Assert.Equal(0, drillLost);

        // One primary, one healthy standby; the old primary now refuses writes as a standby does.
        Assert.True(await cluster.IsPrimaryAsync("rennes"));
        Assert.False(await cluster.IsPrimaryAsync("idf"));
        var standbys = await cluster.StandbysAsync("rennes");
        Assert.Equal(("streaming", TwoCentreCluster.Replication), standbys["idf"]);
        Assert.Contains("SQLSTATE 25006", await cluster.WriteRefusalAsync("idf"));
        output.WriteLine((await cluster.PgStatusAsync()).Trim());
    }
}
