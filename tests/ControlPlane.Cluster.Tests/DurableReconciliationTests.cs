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
        var created = await CreateTwoInFrSud1Async("durable-reconcile");
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

    [Fact]
    public async Task A_drain_operation_ends_succeeded_although_the_silo_running_it_crashed()
    {
        // fr-sud-1 is piloted by Rennes: the server's grain, and its drain operation beside it, run on silo 3.
        const string rennesOperator = "operator-rennes-1";
        var created = await CreateTwoInFrSud1Async("durable-drain");
        var serverId = created[0].ServerId;
        var moving = created.Where(i => i.ServerId == serverId).Select(i => i.Id).ToList();

        // Agents answering in 2 s: the moves, and so the drain, are still under way when the silo goes.
        var faults = await cluster.Fleet.GetFaultsAsync(new GetFaultsRequest());
        await cluster.Fleet.SetFaultsAsync(new FleetFaults(faults) { MinLatencyMs = 2000, MaxLatencyMs = 2000 });
        var draining = await new Servers.ServersClient(cluster.As(3, rennesOperator))
            .DrainServerAsync(new ServerRequest { Id = serverId }, deadline: Calls.Deadline());
        Assert.NotEqual("", draining.DrainOperationId);
        var before = await new Provisioning.ProvisioningClient(cluster.As(3, rennesOperator))
            .GetOperationAsync(new GetOperationRequest { Id = draining.DrainOperationId }, deadline: Calls.Deadline());
        Assert.Equal(OperationState.Running, before.State);
        var clock = Stopwatch.StartNew();
        await cluster.KillAsync(3);
        await cluster.Fleet.SetFaultsAsync(faults);
        try
        {
            // The operator who drained follows his drain from another silo (he reads the infrastructure).
            var provisioning = new Provisioning.ProvisioningClient(cluster.As(1, rennesOperator));
            Operation drain = null!;
            var ended = await Calls.EventuallyAsync(async () =>
            {
                drain = await provisioning.WaitOperationAsync(new WaitOperationRequest
                {
                    Id = draining.DrainOperationId, Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
                }, deadline: DateTime.UtcNow.AddSeconds(20));
                return drain.State is OperationState.Succeeded or OperationState.Failed;
            }, TimeSpan.FromSeconds(150));
            Assert.True(ended, $"drain {draining.DrainOperationId} of server {serverId} did not end within 150 s of the crash\n{cluster.Log(1)}");
            Console.WriteLine($"silo 3 killed while draining {serverId}: drain {drain.State} after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal((OperationKind.DrainServer, OperationState.Succeeded, serverId), (drain.Kind, drain.State, drain.ServerId));
            var server = await Calls.RetryAsync(1, silo => cluster.Topology(silo).GetServerAsync(new GetServerRequest { Id = serverId }, deadline: Calls.Deadline()).ResponseAsync);
            Assert.Equal(ServerLifecycle.Drained, server.Lifecycle);
            Assert.Empty(server.Allocations);
            foreach (var id in moving)
            {
                var after = await GetInstanceAsync(id);
                Assert.Equal(InstanceState.Running, after.State);
                Assert.NotEqual(serverId, after.ServerId);
            }
        }
        finally
        {
            await cluster.StartAsync(3);
            await new Servers.ServersClient(cluster.As(3, rennesOperator)).UncordonServerAsync(new ServerRequest { Id = serverId }, deadline: Calls.Deadline());
        }
    }

    /// <summary>A new tenant of France Sud with two instances in fr-sud-1, as created.</summary>
    private async Task<List<Instance>> CreateTwoInFrSud1Async(string tenant)
    {
        await cluster.CreateTenantAsync(tenant, 64, "france-sud");
        var created = new List<Instance>();
        for (var i = 0; i < 2; i++)
        {
            var operation = await Calls.RetryAsync(1, silo => cluster.Provisioning(silo).CreateInstanceAsync(new CreateInstanceRequest
            {
                RequestId = $"{tenant}-{i}", TenantId = tenant, Name = $"vm-{i}", Size = "Standard_D4s_v5",
                Region = "france-sud", Zone = "fr-sud-1",
            }, deadline: Calls.Deadline()).ResponseAsync, tolerateAlreadyExists: true);
            var done = await cluster.WaitTerminalAsync(operation.Id, TimeSpan.FromSeconds(30));
            Assert.Equal(OperationState.Succeeded, done.State);
            created.Add(await GetInstanceAsync(done.InstanceId));
        }
        return created;
    }

    private Task<Instance> GetInstanceAsync(string id) =>
        Calls.RetryAsync(1, silo => cluster.Provisioning(silo).GetInstanceAsync(new GetInstanceRequest { Id = id }, deadline: Calls.Deadline()).ResponseAsync);
}
