using System.Diagnostics;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cluster.Tests;

/// <summary>Reconciliation in durable mode carries on when the silo that ran it is gone.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class DurableReconciliationTests(LocalCluster cluster)
{
    [Fact]
    public async Task A_dead_servers_instances_are_re_created_although_the_silo_reconciling_its_zone_crashed()
    {
        // fr-sud-1 is piloted by Rennes: its zone and server grains run on silo 3.
        await cluster.CreateTenantAsync("durable-reconcile", 64, "france-sud");
        var created = new List<Instance>();
        for (var i = 0; i < 2; i++)
        {
            var operation = await Calls.RetryAsync(1, silo => cluster.Provisioning(silo).CreateInstanceAsync(new CreateInstanceRequest
            {
                RequestId = $"durable-reconcile-{i}", TenantId = "durable-reconcile", Name = $"vm-{i}", Size = "Standard_D4s_v5",
                Region = "france-sud", Zone = "fr-sud-1",
            }, deadline: Calls.Deadline()).ResponseAsync, tolerateAlreadyExists: true);
            var done = await cluster.WaitTerminalAsync(operation.Id, TimeSpan.FromSeconds(30));
            Assert.Equal(OperationState.Succeeded, done.State);
            created.Add(await GetInstanceAsync(done.InstanceId));
        }
        var serverId = created[0].ServerId;
        var victims = created.Where(i => i.ServerId == serverId).Select(i => i.Id).ToList();

        var clock = Stopwatch.StartNew();
        await cluster.KillAsync(3);
        try
        {
            await cluster.Fleet.SetDeadAsync(new SetDeadRequest { ServerIds = { serverId }, Dead = true });
            // Nothing calls the zone meanwhile: its reminder brings it back on Île-de-France (≤ 1 min), the
            // server is failed after FailAfter (5 s here) and its instances are moved by durable operations.
            var rePlaced = await Calls.EventuallyAsync(async () =>
            {
                var now = await Task.WhenAll(victims.Select(GetInstanceAsync));
                return now.All(i => i.ServerId != serverId && i.State == InstanceState.Running);
            }, TimeSpan.FromSeconds(150));
            Assert.True(rePlaced, $"the instances of dead server {serverId} were not re-created within 150 s of the crash\n{cluster.Log(1)}");
            Console.WriteLine($"silo 3 killed and server {serverId} dead: {victims.Count} instance(s) re-created elsewhere after {clock.Elapsed.TotalSeconds:0.0} s");
            // A move records the instance on its new server, then releases the old allocation; other
            // tests' instances on the same server are moved too: the failed server ends empty.
            Server failed = null!;
            var emptied = await Calls.EventuallyAsync(async () =>
            {
                failed = await Calls.RetryAsync(1, silo => cluster.Topology(silo).GetServerAsync(new GetServerRequest { Id = serverId }, deadline: Calls.Deadline()).ResponseAsync);
                return failed.Allocations.Count == 0;
            }, TimeSpan.FromSeconds(60));
            Assert.Equal(ServerLifecycle.Failed, failed.Lifecycle);
            Assert.True(emptied, $"failed server {serverId} still holds {string.Join(", ", failed.Allocations.Select(a => a.InstanceId))}");
        }
        finally
        {
            await cluster.Fleet.SetDeadAsync(new SetDeadRequest { ServerIds = { serverId }, Dead = false });
            await cluster.StartAsync(3);
        }
    }

    private Task<Instance> GetInstanceAsync(string id) =>
        Calls.RetryAsync(1, silo => cluster.Provisioning(silo).GetInstanceAsync(new GetInstanceRequest { Id = id }, deadline: Calls.Deadline()).ResponseAsync);
}
