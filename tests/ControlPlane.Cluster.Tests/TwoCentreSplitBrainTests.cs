using ControlPlane.Contracts.V1;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// A partition between the two ops centres, nothing lost: only the centre holding the PostgreSQL primary
/// can ever write. The other centre's database is a standby and refuses every write (SQLSTATE 25006),
/// and no create is acknowledged through its gateways. In synchronous mode the primary's commits wait
/// for the standby it cannot reach, so nothing is acknowledged on either side until the operator lets
/// the primary's centre write on alone (<c>replication async</c>); then it does, and the other still
/// cannot. After the heal the standby catches up and synchronous replication is restored.
/// </summary>
[Collection(TwoCentreCollection.Name), Trait("Category", "Cluster")]
public sealed class TwoCentreSplitBrainTests(TwoCentreCluster cluster, ITestOutputHelper output)
{
    private const string Tenant = "split";

    [Fact]
    public async Task In_a_partition_only_the_primary_centre_writes_and_the_other_provably_cannot()
    {
        var primary = await cluster.IsPrimaryAsync("idf") ? "idf" : "rennes";
        var other = primary == "idf" ? "rennes" : "idf";
        int[] primarySilos = [.. Enumerable.Range(1, LocalCluster.Silos).Where(n => LocalCluster.OpsCentres[n - 1] == primary)];
        int[] otherSilos = [.. Enumerable.Range(1, LocalCluster.Silos).Where(n => LocalCluster.OpsCentres[n - 1] == other)];
        await WhenAllSilosActiveAsync();
        await cluster.CreateTenantAsync(Tenant, 10_000, "france-centre", "france-sud");
        var sequence = 0;

        output.WriteLine((await cluster.PartitionAsync()).Trim());
        try
        {
            // The other centre: its database refuses writes, its gateways acknowledge no create.
            Assert.Contains("SQLSTATE 25006", await cluster.WriteRefusalAsync(other));
            foreach (var silo in otherSilos) await AssertNotAcknowledgedAsync(silo, ++sequence);

            if (TwoCentreCluster.Replication == "sync")
            {
                // Synchronous: the primary's commits wait for the unreachable standby; nothing is acknowledged there either.
                await AssertNotAcknowledgedAsync(primarySilos[0], ++sequence);
                output.WriteLine((await cluster.ReplicationAsync("async")).Trim());
            }

            // The primary's centre writes on, alone.
            var written = new List<Operation>();
            foreach (var silo in primarySilos)
            {
                var request = Create(++sequence);
                var operation = await UntilAcknowledgedAsync(silo, request);
                written.Add(operation);
                output.WriteLine($"{request.RequestId} acknowledged through silo {silo} ({primary}) during the partition: operation {operation.Id}");
            }
            Assert.Contains("SQLSTATE 25006", await cluster.WriteRefusalAsync(other));
            foreach (var silo in otherSilos) await AssertNotAcknowledgedAsync(silo, ++sequence);

            output.WriteLine((await cluster.HealAsync()).Trim());
            if (TwoCentreCluster.Replication == "sync") output.WriteLine((await cluster.ReplicationAsync("sync")).Trim());

            // After the heal: the standby streams again as before, and what the primary's centre acknowledged is there.
            Assert.True(await Calls.EventuallyAsync(async () => (await cluster.StandbysAsync(primary)).GetValueOrDefault(other) == ("streaming", TwoCentreCluster.Replication),
                TimeSpan.FromMinutes(2)), $"the standby of {other} does not stream again");
            foreach (var operation in written)
            {
                Assert.Equal(OperationState.Succeeded, (await cluster.WaitTerminalAsync(operation.Id, TimeSpan.FromSeconds(90))).State);
            }
            Assert.True(await cluster.IsPrimaryAsync(primary));
            Assert.False(await cluster.IsPrimaryAsync(other));
            await WhenAllSilosActiveAsync();
        }
        finally
        {
            await cluster.HealAsync();
            if (TwoCentreCluster.Replication == "sync") await cluster.ReplicationAsync("sync");
        }
    }

    private CreateInstanceRequest Create(int n) => new()
    {
        RequestId = $"split-{n}", TenantId = Tenant, Name = $"split-{n}", Size = "Standard_D2s_v5", Region = "france-sud",
    };

    /// <summary>One create through <paramref name="silo"/>'s gateway, given 15 s: it must not be acknowledged.</summary>
    private async Task AssertNotAcknowledgedAsync(int silo, int n)
    {
        var request = Create(n);
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            cluster.Provisioning(silo).CreateInstanceAsync(request, deadline: DateTime.UtcNow.AddSeconds(15)).ResponseAsync);
        output.WriteLine($"{request.RequestId} through silo {silo} ({LocalCluster.OpsCentres[silo - 1]}) not acknowledged: {refused.StatusCode} {RegionRecovery.RpcReason(refused)}");
    }

    /// <summary>The create retried through the same gateway (same request id) until acknowledged, for up to 2 minutes.</summary>
    private async Task<Operation> UntilAcknowledgedAsync(int silo, CreateInstanceRequest request)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return await cluster.Provisioning(silo).CreateInstanceAsync(request, deadline: DateTime.UtcNow.AddSeconds(15)).ResponseAsync;
            }
            catch (RpcException e) when (DateTime.UtcNow < until && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
            {
                await Task.Delay(500);
            }
        }
    }

    private async Task WhenAllSilosActiveAsync() =>
        Assert.True(await Calls.EventuallyAsync(() => cluster.ActiveAsync("silo-1-idf", "silo-2-idf", "silo-3-rennes"), TimeSpan.FromMinutes(3)), "not every silo is active");
}
