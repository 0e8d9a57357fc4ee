using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using Grpc.Core;
using Npgsql;

namespace ControlPlane.Cluster.Tests;

/// <summary>The durable cluster keeps every acknowledged operation, whatever happens to a silo.</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class DurableClusterTests(LocalCluster cluster)
{
    private static readonly string[] Sizes = ["Standard_D2s_v5", "Standard_D4s_v5", "Standard_E2s_v5"];

    [Fact]
    public async Task The_same_request_id_sent_to_two_gateways_yields_one_operation()
    {
        await cluster.CreateTenantAsync("xsilo", 64, "france-centre");
        var request = new CreateInstanceRequest
        {
            RequestId = "xsilo-1", TenantId = "xsilo", Name = "web", Size = "Standard_D2s_v5", Region = "france-centre",
        };

        var operations = await Task.WhenAll(Enumerable.Range(1, LocalCluster.Silos).SelectMany(silo => Enumerable.Range(0, 3)
            .Select(_ => cluster.Provisioning(silo).CreateInstanceAsync(request, deadline: Calls.Deadline()).ResponseAsync)));

        Assert.Single(operations.Select(o => o.Id).Distinct());
        Assert.Equal(OperationState.Succeeded, (await cluster.WaitTerminalAsync(operations[0].Id, TimeSpan.FromSeconds(30))).State);
        Assert.Single(await cluster.ListInstancesAsync("xsilo"));
    }

    [Fact]
    public async Task Five_hundred_creates_survive_a_silo_killed_mid_run()
    {
        const int total = 500;
        const int tenants = 5;
        for (var t = 0; t < tenants; t++) await cluster.CreateTenantAsync($"crash-{t}", 10_000, "france-centre", "france-sud");

        var acknowledged = new ConcurrentDictionary<int, Operation>();
        var refused = new ConcurrentDictionary<int, RpcException>();
        var killed = new TaskCompletionSource();
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var request = new CreateInstanceRequest
                {
                    RequestId = $"crash-req-{i}", TenantId = $"crash-{i % tenants}", Name = $"vm-{i}", Size = Sizes[i % Sizes.Length],
                    Region = i % 4 == 0 ? "france-sud" : "france-centre",
                };
                try
                {
                    acknowledged[i] = await Calls.RetryAsync(i % LocalCluster.Silos + 1,
                        silo => cluster.Provisioning(silo).CreateInstanceAsync(request, deadline: Calls.Deadline()).ResponseAsync);
                }
                catch (RpcException e)
                {
                    refused[i] = e;
                }
                if (acknowledged.Count >= total * 3 / 10) killed.TrySetResult();
            }
        }

        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(Worker)).ToList();
        await killed.Task.WaitAsync(TimeSpan.FromMinutes(3));
        await cluster.KillAsync(2);
        await Task.WhenAll(workers);
        try
        {
            Assert.Empty(refused.Select(r => $"{r.Key}: {r.Value.Status}"));
            Assert.Equal(total, acknowledged.Count);

            // Every acknowledged operation ends, on the silos that are left.
            var ended = await Task.WhenAll(acknowledged.Values.Select(o => cluster.WaitTerminalAsync(o.Id, TimeSpan.FromSeconds(90))));
            Assert.All(ended, o => Assert.True(o.State is OperationState.Succeeded or OperationState.Failed, $"{o.Id} is still {o.State}; its log lines:\n{cluster.Trail(o.Id)}\nthe recovery sweeps' lines:\n{cluster.Trail("Operation recovery")}"));
            Assert.All(ended, o => Assert.Equal(OperationState.Succeeded, o.State));
            // Their wake-ups went with their ends, in the same writes: none still listed unfinished, and no reminder written for any.
            Assert.Equal((0L, 0L), (
                await CountAsync("SELECT count(*) FROM OpenOperations WHERE OperationKey = ANY(@keys)", [.. ended.Select(o => o.Id)]),
                await CountAsync("SELECT count(*) FROM OrleansRemindersTable WHERE ReminderName = 'resume'", [])));

            // Every succeeded instance exists exactly once, running where its server says it is.
            var instances = new List<Instance>();
            for (var t = 0; t < tenants; t++) instances.AddRange(await cluster.ListInstancesAsync($"crash-{t}"));
            Assert.Equal(instances.Count, instances.Select(i => i.Id).Distinct().Count());
            var byId = instances.ToDictionary(i => i.Id);
            foreach (var o in ended) Assert.Equal(InstanceState.Running, byId[o.InstanceId].State);
            Assert.Equal(total, instances.Count);

            // No server is overcommitted, and every allocation belongs to an instance that exists.
            var allocations = new List<(string Server, string Instance)>();
            // Every zone, including one another test of this cluster may have added live.
            var zones = await Calls.RetryAsync(1, silo => cluster.Topology(silo).ListZonesAsync(new ListZonesRequest(), deadline: Calls.Deadline()).ResponseAsync);
            foreach (var zone in zones.Zones.Where(z => z.State != ZoneState.Retired).Select(z => z.Id))
            {
                foreach (var summary in (await cluster.ListServersAsync(zone)).Where(s => s.InstanceCount > 0))
                {
                    var server = await Calls.RetryAsync(1, silo => cluster.Topology(silo).GetServerAsync(new GetServerRequest { Id = summary.Id }, deadline: Calls.Deadline()).ResponseAsync);
                    Assert.True(server.Allocated.Cores <= server.Capacity.Cores && server.Allocated.MemoryMib <= server.Capacity.MemoryMib
                        && server.Allocated.Gpus <= server.Capacity.Gpus, $"{server.Id} is overcommitted");
                    allocations.AddRange(server.Allocations.Select(a => (server.Id, a.InstanceId)));
                }
            }
            var mine = allocations.Where(a => byId.ContainsKey(a.Instance)).ToList();
            Assert.Equal(instances.Count, mine.Count);
            Assert.All(mine, a => Assert.Equal(byId[a.Instance].ServerId, a.Server));

            // Each tenant's usage is the sum of its instances.
            for (var t = 0; t < tenants; t++)
            {
                var tenant = await Calls.RetryAsync(1, silo => cluster.Tenants(silo).GetTenantAsync(new GetTenantRequest { Id = $"crash-{t}" }, deadline: Calls.Deadline()).ResponseAsync);
                var own = instances.Where(i => i.TenantId == tenant.Id).ToList();
                Assert.Equal((own.Sum(i => i.Resources.Cores), own.Sum(i => i.Resources.MemoryMib), own.Count),
                    (tenant.Usage.Cores, tenant.Usage.MemoryMib, tenant.InstanceCount));
            }

            // Each instance is metered once, from when it ran, through the crash and the operations' replays.
            for (var t = 0; t < tenants; t++)
            {
                await cluster.AssertEachUseMeteredOnceAsync($"crash-{t}",
                    [.. ended.Where(o => o.TenantId == $"crash-{t}").Select(o => new Metering.Use(byId[o.InstanceId].Size, o))]);
            }
        }
        finally
        {
            await cluster.StartAsync(2);
        }
    }

    [Fact]
    public async Task A_whole_cluster_restart_keeps_tenants_instances_services_allocations_operations_and_metering()
    {
        await cluster.CreateTenantAsync("restart", 64, "france-centre", "france-sud");
        var operations = new List<Operation>();
        for (var i = 0; i < 6; i++)
        {
            var request = new CreateInstanceRequest
            {
                RequestId = $"restart-{i}", TenantId = "restart", Name = $"vm-{i}", Size = Sizes[i % Sizes.Length],
                Region = i % 2 == 0 ? "france-centre" : "france-sud",
            };
            var o = await Calls.RetryAsync(i % 3 + 1, silo => cluster.Provisioning(silo).CreateInstanceAsync(request, deadline: Calls.Deadline()).ResponseAsync);
            operations.Add(await cluster.WaitTerminalAsync(o.Id, TimeSpan.FromSeconds(30)));
        }
        var orders = new List<Operation>();
        foreach (var (offer, seats) in new[] { ("office-e3", 5), ("paas-postgresql-gp-2", 0) })
        {
            var request = new OrderServiceRequest { RequestId = $"restart-{offer}", TenantId = "restart", Name = offer, OfferId = offer, Region = "france-centre", Seats = seats };
            var o = await Calls.RetryAsync(2, silo => cluster.Services(silo).OrderServiceAsync(request, deadline: Calls.Deadline()).ResponseAsync);
            orders.Add(await cluster.WaitTerminalAsync(o.Id, TimeSpan.FromSeconds(30)));
        }
        Assert.All(orders, o => Assert.Equal(OperationState.Succeeded, o.State));
        var servicesBefore = await Task.WhenAll(orders.Select(o => cluster.Services(1).GetServiceAsync(new GetServiceRequest { Id = o.ServiceId }).ResponseAsync));
        var tenantBefore = await cluster.Tenants(1).GetTenantAsync(new GetTenantRequest { Id = "restart" });
        var instancesBefore = await cluster.ListInstancesAsync("restart");
        var serversBefore = await Task.WhenAll(instancesBefore.Select(i => cluster.Topology(1).GetServerAsync(new GetServerRequest { Id = i.ServerId }).ResponseAsync));
        // A live topology change (hardware racked, then the zone added) is in the persisted change log.
        var racks = new RackGroup { Sku = "gp-64", Racks = 1, ServersPerRack = 2 };
        await cluster.Fleet.RackServersAsync(new RackServersRequest { Region = "france-sud", Zone = "fr-sud-2", Datacentre = "toulouse", Racks = { racks } });
        var added = await cluster.Topology(1, "operator-rennes-1").AddZoneAsync(new AddZoneRequest
        {
            Region = "france-sud", Zone = "fr-sud-2", Datacentre = "toulouse", Racks = { racks }, Reason = "restart test",
        });
        // Another silo knows the new zone at once (it catches up before answering NotFound).
        Assert.Equal(2, (await cluster.Topology(3).ListServersAsync(new ListServersRequest { Zone = "fr-sud-2" })).Servers.Count);

        for (var silo = 1; silo <= LocalCluster.Silos; silo++) await cluster.StopAsync(silo);
        for (var silo = 1; silo <= LocalCluster.Silos; silo++) await cluster.StartAsync(silo);

        var tenantAfter = await Calls.RetryAsync(3, silo => cluster.Tenants(silo).GetTenantAsync(new GetTenantRequest { Id = "restart" }, deadline: Calls.Deadline()).ResponseAsync);
        for (var silo = 1; silo <= LocalCluster.Silos; silo++)
        {
            // Each silo applied the change log before opening its port.
            var zones = await cluster.Topology(silo).ListZonesAsync(new ListZonesRequest { Region = "france-sud" }, deadline: Calls.Deadline());
            Assert.Equal((ZoneState.Active, 2), zones.Zones.Where(z => z.Id == "fr-sud-2").Select(z => (z.State, z.ServerCount)).Single());
        }
        var log = await cluster.Topology(2).ListTopologyChangesAsync(new ListTopologyChangesRequest { AfterVersion = added.Version - 1 });
        Assert.Equal(("fr-sud-2", "operator-rennes-1", added.Version), (log.Changes[0].Zone, log.Changes[0].Actor, log.Changes[0].Version));
        Assert.Equal(tenantBefore, tenantAfter);
        Assert.Equal(instancesBefore, await cluster.ListInstancesAsync("restart"));
        foreach (var before in serversBefore)
        {
            var after = await Calls.RetryAsync(2, silo => cluster.Topology(silo).GetServerAsync(new GetServerRequest { Id = before.Id }, deadline: Calls.Deadline()).ResponseAsync);
            // What the server holds and its lifecycle survive; what was last seen of its agent is live observation.
            before.Agent = after.Agent = null;
            Assert.Equal(before, after);
        }
        foreach (var before in operations)
        {
            var after = await Calls.RetryAsync(1, silo => cluster.Provisioning(silo).GetOperationAsync(new GetOperationRequest { Id = before.Id }, deadline: Calls.Deadline()).ResponseAsync);
            Assert.Equal(before, after);
        }
        foreach (var before in servicesBefore)
        {
            Assert.Equal(before, await Calls.RetryAsync(1, silo => cluster.Services(silo).GetServiceAsync(new GetServiceRequest { Id = before.Id }, deadline: Calls.Deadline()).ResponseAsync));
        }
        // Metering went on through the restart (the instances kept running), without a gap and without counting anything twice.
        var sizes = instancesBefore.ToDictionary(i => i.Id, i => i.Size);
        await cluster.AssertEachUseMeteredOnceAsync("restart",
        [
            .. operations.Select(o => new Metering.Use(sizes[o.InstanceId], o)),
            new Metering.Use("office-e3", orders[0], 5),
            new Metering.Use("paas-postgresql-gp-2", orders[1]),
        ]);
        // The request ids still hold: repeating one returns the same operation.
        var again = await cluster.Provisioning(2).CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = "restart-0", TenantId = "restart", Name = "vm-0", Size = Sizes[0], Region = "france-centre",
        });
        Assert.Equal(operations[0].Id, again.Id);
    }

    [Fact]
    public async Task The_list_of_unfinished_operations_follows_each_operation_write_in_its_own_statement()
    {
        // Written straight into the table as the storage writes it, in a transaction rolled back at the end: what the trigger lists
        // after each write, including a payload with a \u0000 escape (which PostgreSQL's JSON functions refuse) from an agent's error.
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        async Task WriteAsync(string sql, string key, string? json)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("key", key);
            if (sql.Contains("@payload")) command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = json is null ? DBNull.Value : System.Text.Encoding.UTF8.GetBytes(json) });
            await command.ExecuteNonQueryAsync();
        }
        async Task<string> ListedAsync()
        {
            await using var command = new NpgsqlCommand(
                "SELECT coalesce(string_agg(OperationKey, ',' ORDER BY OperationKey), '') FROM OpenOperations WHERE ServiceId = 'trigger-test'", connection, transaction);
            return (string)(await command.ExecuteScalarAsync())!;
        }
        const string insert = "INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, Version) " +
            "VALUES (hashtext(@key), 0, 0, 1, @type, @key, 'trigger-test', @payload, 1)";
        const string update = "UPDATE OrleansStorage SET PayloadBinary = @payload WHERE ServiceId = 'trigger-test' AND GrainIdExtensionString = @key";

        await WriteAsync(insert.Replace("@type", "'operation'"), "op-nul", """{"Operation":{"Id":"op-nul","IsTerminal":false,"Error":{"Message":"agent said \u0000"}}}""");
        await WriteAsync(insert.Replace("@type", "'operation'"), "op-done", """{"Operation":{"Id":"op-done","IsTerminal":true}}""");
        await WriteAsync(insert.Replace("@type", "'operation'"), "op-none", """{"Instance":{"Id":"i-1"}}""");
        await WriteAsync(insert.Replace("@type", "'instance'"), "i-other", """{"Operation":{"IsTerminal":false}}""");
        var afterInserts = await ListedAsync();
        await WriteAsync(update, "op-nul", """{"Operation":{"Id":"op-nul","IsTerminal":true,"Error":{"Message":"agent said \u0000"}}}""");
        await WriteAsync(update, "op-done", """{"Operation":{"Id":"op-done","IsTerminal":false}}""");
        var afterUpdates = await ListedAsync();
        await WriteAsync(update, "op-done", null);
        var afterClear = await ListedAsync();
        await WriteAsync(update, "op-done", """{"Operation":{"Id":"op-done","IsTerminal":false}}""");
        await WriteAsync("DELETE FROM OrleansStorage WHERE ServiceId = 'trigger-test' AND GrainIdExtensionString = @key", "op-done", null);
        var afterDelete = await ListedAsync();
        await transaction.RollbackAsync();

        Assert.Equal(("op-nul", "op-done", "", ""), (afterInserts, afterUpdates, afterClear, afterDelete));
    }

    private async Task<long> CountAsync(string sql, string[] keys)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("keys", keys);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
