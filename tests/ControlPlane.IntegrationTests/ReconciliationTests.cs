using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// Desired state against what the (simulated) hardware does: dead servers, lost instances, drains.
/// Each test works in its own zone and tenant; the fleet fixture reconciles every 250 ms and fails a
/// silent server after 4 s.
/// </summary>
public sealed class ReconciliationTests(FleetFixture fleet, ITestOutputHelper output) : IClassFixture<FleetFixture>
{
    private const string Size = "Standard_D8s_v5";

    /// <summary>4 s of silence before failing the server, a pass every 250 ms, then the moves: 15 s leaves room for a busy machine.</summary>
    private static readonly TimeSpan RePlacementBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_dead_servers_instances_are_re_created_elsewhere_in_bounded_time_and_its_breaker_opens_then_closes()
    {
        var (tenant, instances) = await CreateAsync("dead", "fr-centre-2", 4);
        var serverId = Busiest(instances);
        var victims = instances.Where(i => i.ServerId == serverId).ToList();
        var usageBefore = (await fleet.Tenants.GetTenantAsync(new GetTenantRequest { Id = tenant })).Usage;

        await fleet.FleetControl.SetDeadAsync(new SetDeadRequest { ServerIds = { serverId }, Dead = true });
        var opened = await Eventually.HoldsAsync(async () =>
        {
            var server = await GetServerAsync(serverId);
            return (server.Agent.Circuit == "open", $"circuit {server.Agent.Circuit}, reachable {server.Agent.Reachable}");
        }, RePlacementBound);
        var rePlaced = opened + await Eventually.HoldsAsync(async () =>
        {
            var now = await Task.WhenAll(victims.Select(v => GetInstanceAsync(v.Id)));
            var moved = now.Count(i => i.ServerId != serverId && i.State == InstanceState.Running && Condition(i, "Running").Status);
            return (moved == victims.Count, string.Join("; ", now.Select(i => $"{i.Id} {i.State} on {i.ServerId}")));
        }, RePlacementBound);

        output.WriteLine($"{victims.Count} instance(s) of dead server {serverId}: breaker open after {opened.TotalSeconds:0.0} s, all re-created elsewhere after {rePlaced.TotalSeconds:0.0} s");
        var failed = await GetServerAsync(serverId);
        Assert.Equal(ServerLifecycle.Failed, failed.Lifecycle);
        Assert.Equal("AgentUnreachable", failed.LifecycleReason);
        Assert.Empty(failed.Allocations);
        foreach (var victim in victims)
        {
            var moved = await GetInstanceAsync(victim.Id);
            Assert.Equal("fr-centre-2", moved.Zone);
            Assert.True(moved.Generation > victim.Generation, $"{moved.Id}: generation {moved.Generation}");
            Assert.Equal(moved.Generation, moved.ObservedGeneration);
            Assert.Contains(moved.Id, await RunsAsync(moved.ServerId));
            Assert.Contains(moved.Id, (await GetServerAsync(moved.ServerId)).Allocations.Select(a => a.InstanceId));
        }
        Assert.Equal(usageBefore, (await fleet.Tenants.GetTenantAsync(new GetTenantRequest { Id = tenant })).Usage);

        // Still dead: it cannot be commissioned.
        await Api.FailsAsync(() => fleet.Servers.CommissionServerAsync(new ServerRequest { Id = serverId }).ResponseAsync,
            StatusCode.FailedPrecondition, "AGENT_UNREACHABLE");

        // Repaired: the breaker closes on its own; the server stays failed until an operator commissions it,
        // and the copies its agent still ran (re-created elsewhere meanwhile) are removed.
        await fleet.FleetControl.SetDeadAsync(new SetDeadRequest { ServerIds = { serverId }, Dead = false });
        await Eventually.HoldsAsync(async () =>
        {
            var server = await GetServerAsync(serverId);
            return (server.Agent.Circuit == "closed" && server.Agent.Reachable, $"circuit {server.Agent.Circuit}, reachable {server.Agent.Reachable}");
        }, RePlacementBound);
        Assert.Equal(ServerLifecycle.Failed, (await GetServerAsync(serverId)).Lifecycle);
        Assert.Equal(ServerLifecycle.Active, (await fleet.Servers.CommissionServerAsync(new ServerRequest { Id = serverId })).Lifecycle);
        await Eventually.HoldsAsync(async () =>
        {
            var strays = await RunsAsync(serverId);
            return (strays.Count == 0, $"the repaired server still runs {string.Join(",", strays)}");
        }, RePlacementBound);
    }

    [Fact]
    public async Task A_zone_whose_agents_all_fall_silent_is_not_evacuated_and_its_servers_serve_again_when_the_agents_answer()
    {
        // 25 busy servers (one member of an anti-affinity group each): more than the default limit of 20
        // failures by silence per zone, so the silence is taken for the fleet's, not the servers'.
        var tenant = await CreateTenantAsync("silent", "france-sud");
        var instances = new List<Instance>();
        for (var i = 0; i < 25; i++) instances.Add(await CreateInstanceAsync(tenant, $"vm-{i}", "france-sud", "fr-sud-1", group: "spread"));
        var servers = instances.Select(i => i.ServerId).Distinct().ToList();
        Assert.Equal(25, servers.Count);

        await fleet.FleetControl.SetDeadAsync(new SetDeadRequest { Zones = { "fr-sud-1" }, Dead = true });
        try
        {
            // Every server silent for twice FailAfter (4 s): each has asked to be failed at several passes.
            var silentLongEnough = await Eventually.HoldsAsync(async () =>
            {
                var now = await Task.WhenAll(servers.Select(GetServerAsync));
                var since = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(8);
                var silent = now.Count(s => !s.Agent.Reachable && s.Agent.UnreachableSince is { } at && at.ToDateTimeOffset() <= since);
                return (silent == servers.Count || now.Any(s => s.Lifecycle != ServerLifecycle.Active),
                    $"{silent} of {servers.Count} silent for 8 s; {string.Join(",", now.Select(s => s.Lifecycle).Distinct())}");
            }, RePlacementBound * 2);
            output.WriteLine($"all {servers.Count} servers of fr-sud-1 silent for 8 s after {silentLongEnough.TotalSeconds:0.0} s");
            foreach (var server in await Task.WhenAll(servers.Select(GetServerAsync)))
            {
                Assert.Equal(ServerLifecycle.Active, server.Lifecycle);
                Assert.NotEmpty(server.Allocations);
            }
            foreach (var before in instances)
            {
                var after = await GetInstanceAsync(before.Id);
                Assert.Equal(before.ServerId, after.ServerId);
                Assert.Equal(before.Generation, after.Generation);
                Assert.Equal(InstanceState.Running, after.State);
            }
        }
        finally
        {
            await fleet.FleetControl.SetDeadAsync(new SetDeadRequest { Zones = { "fr-sud-1" }, Dead = false });
        }

        // The agents answer again: the servers take instances again by themselves, and nothing was moved.
        await Eventually.HoldsAsync(async () =>
        {
            var now = await Task.WhenAll(servers.Select(GetServerAsync));
            var back = now.Count(s => s.Lifecycle == ServerLifecycle.Active && s.Agent.Reachable);
            return (back == servers.Count, $"{back} of {servers.Count} active and reachable");
        }, RePlacementBound);
        foreach (var before in instances)
        {
            var after = await GetInstanceAsync(before.Id);
            Assert.Equal(before.ServerId, after.ServerId);
            Assert.Equal(before.Generation, after.Generation);
            Assert.Contains(after.Id, await RunsAsync(after.ServerId));
        }
    }

    [Fact]
    public async Task Instances_the_agent_lost_are_re_created_on_their_server()
    {
        var (_, instances) = await CreateAsync("lost", "fr-centre-1", 3);
        var lost = instances.Take(2).ToList();

        await fleet.FleetControl.VanishInstancesAsync(new VanishInstancesRequest { InstanceIds = { lost.Select(i => i.Id) } });
        await Eventually.HoldsAsync(async () =>
        {
            var now = await Task.WhenAll(lost.Select(i => GetInstanceAsync(i.Id)));
            var back = 0;
            foreach (var i in now)
            {
                if (Condition(i, "Running") is { Status: true, Reason: "Recreated" } && (await RunsAsync(i.ServerId)).Contains(i.Id)) back++;
            }
            return (back == lost.Count, string.Join("; ", now.Select(i => $"{i.Id}: {Condition(i, "Running")}")));
        }, RePlacementBound);
        foreach (var i in lost)
        {
            var now = await GetInstanceAsync(i.Id);
            Assert.Equal(i.ServerId, now.ServerId);
            Assert.Equal(InstanceState.Running, now.State);
        }
    }

    [Fact]
    public async Task A_drained_server_ends_empty_with_every_instance_moved_live_and_none_lost()
    {
        var (tenant, instances) = await CreateAsync("drain", "fr-centre-3", 5);
        var serverId = Busiest(instances);
        var moving = instances.Where(i => i.ServerId == serverId).ToList();
        var tenantBefore = await fleet.Tenants.GetTenantAsync(new GetTenantRequest { Id = tenant });

        var draining = await fleet.Servers.DrainServerAsync(new ServerRequest { Id = serverId });
        Assert.Contains(draining.Lifecycle, new[] { ServerLifecycle.Draining, ServerLifecycle.Drained });
        Assert.NotEqual("", draining.DrainOperationId);
        // Draining a draining server answers the same drain.
        Assert.Equal(draining.DrainOperationId, (await fleet.Servers.DrainServerAsync(new ServerRequest { Id = serverId })).DrainOperationId);
        var drain = await fleet.Provisioning.WaitOperationAsync(new WaitOperationRequest
        {
            Id = draining.DrainOperationId, Timeout = Duration.FromTimeSpan(RePlacementBound),
        });
        Assert.Equal((OperationKind.DrainServer, OperationState.Succeeded, serverId, ""), (drain.Kind, drain.State, drain.ServerId, drain.TenantId));
        Assert.Null(drain.Error);
        // The operation ends when the server is drained, not before.
        var drained = await GetServerAsync(serverId);
        Assert.Equal((ServerLifecycle.Drained, draining.DrainOperationId), (drained.Lifecycle, drained.DrainOperationId));
        await Eventually.HoldsAsync(async () =>
        {
            var listed = await fleet.Provisioning.ListOperationsAsync(new ListOperationsRequest { Kind = OperationKind.DrainServer, PageSize = 1000 });
            return (listed.Operations.Any(o => o.Id == drain.Id && o.State == OperationState.Succeeded), $"{listed.Operations.Count} drain(s) listed");
        }, RePlacementBound);

        Assert.Empty(drained.Allocations);
        Assert.Empty(await RunsAsync(serverId));
        foreach (var before in moving)
        {
            var after = await GetInstanceAsync(before.Id);
            Assert.Equal(InstanceState.Running, after.State);
            Assert.NotEqual(serverId, after.ServerId);
            Assert.Equal("fr-centre-3", after.Zone);
            Assert.Contains(after.Id, await RunsAsync(after.ServerId));
            // Live: the instance never stopped running.
            Assert.Equal(Condition(before, "Running").LastTransitionTime, Condition(after, "Running").LastTransitionTime);
            Assert.Contains("moved from", Condition(after, "Placed").Message);
        }
        var tenantAfter = await fleet.Tenants.GetTenantAsync(new GetTenantRequest { Id = tenant });
        Assert.Equal(tenantBefore.InstanceCount, tenantAfter.InstanceCount);
        Assert.Equal(tenantBefore.Usage, tenantAfter.Usage);

        Assert.Equal(ServerLifecycle.Decommissioned, (await fleet.Servers.DecommissionServerAsync(new ServerRequest { Id = serverId })).Lifecycle);
        Assert.Equal(ServerLifecycle.Active, (await fleet.Servers.CommissionServerAsync(new ServerRequest { Id = serverId })).Lifecycle);
    }

    [Fact]
    public async Task A_drain_keeps_an_anti_affinity_group_apart()
    {
        // Three members of 32 cores, one per server of 64: without the group, best fit would move the
        // drained member onto a server of another member (exactly 32 cores free there).
        var tenant = await CreateTenantAsync("spread", "france-centre");
        var members = new List<Instance>();
        for (var i = 0; i < 3; i++) members.Add(await CreateInstanceAsync(tenant, $"db-{i}", "france-centre", "fr-centre-3", group: "db", size: "Standard_D32s_v5"));
        Assert.Equal(3, members.Select(m => m.ServerId).Distinct().Count());

        var drained = members[0].ServerId;
        await fleet.Servers.DrainServerAsync(new ServerRequest { Id = drained });
        await Eventually.HoldsAsync(async () =>
        {
            var server = await GetServerAsync(drained);
            return (server.Lifecycle == ServerLifecycle.Drained, $"{server.Lifecycle}, {server.Allocations.Count} instance(s) left");
        }, RePlacementBound);

        var after = await Task.WhenAll(members.Select(m => GetInstanceAsync(m.Id)));
        Assert.Equal(3, after.Select(m => m.ServerId).Distinct().Count());
        Assert.DoesNotContain(drained, after.Select(m => m.ServerId));
        Assert.Equal(members[1].ServerId, after[1].ServerId);
        Assert.Equal(members[2].ServerId, after[2].ServerId);
        await fleet.Servers.UncordonServerAsync(new ServerRequest { Id = drained });
    }

    [Fact]
    public async Task A_cordoned_server_takes_no_new_instance_and_lifecycle_refusals_are_clear()
    {
        var (tenant, instances) = await CreateAsync("cordon", "fr-sud-1", 1, region: "france-sud");
        var serverId = instances[0].ServerId;

        Assert.Equal(ServerLifecycle.Cordoned, (await fleet.Servers.CordonServerAsync(new ServerRequest { Id = serverId })).Lifecycle);
        // Best fit would have chosen the partly used server: cordoned, it is passed over.
        var next = await CreateInstanceAsync(tenant, "after-cordon", "france-sud", "fr-sud-1");
        Assert.NotEqual(serverId, next.ServerId);

        await Api.FailsAsync(() => fleet.Servers.DecommissionServerAsync(new ServerRequest { Id = serverId }).ResponseAsync,
            StatusCode.FailedPrecondition, "SERVER_NOT_EMPTY");
        await Api.FailsAsync(() => fleet.Servers.DecommissionServerAsync(new ServerRequest { Id = next.ServerId }).ResponseAsync,
            StatusCode.FailedPrecondition, "SERVER_STATE_CONFLICT");
        await Api.FailsAsync(() => fleet.Servers.CordonServerAsync(new ServerRequest { Id = "no-such-server" }).ResponseAsync,
            StatusCode.NotFound, "SERVER_NOT_FOUND");
        await Api.FailsAsync(() => fleet.Servers.DrainServerAsync(new ServerRequest { Id = "" }).ResponseAsync,
            StatusCode.InvalidArgument, "INVALID_ARGUMENT");

        var listed = await fleet.Topology.ListServersAsync(new ListServersRequest { Zone = "fr-sud-1", PageSize = 1000 });
        Assert.Equal(ServerLifecycle.Cordoned, listed.Servers.Single(s => s.Id == serverId).Lifecycle);
        Assert.Equal(ServerLifecycle.Active, (await fleet.Servers.UncordonServerAsync(new ServerRequest { Id = serverId })).Lifecycle);
    }

    private async Task<(string Tenant, List<Instance> Instances)> CreateAsync(string prefix, string zone, int count, string region = "france-centre")
    {
        var tenant = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await fleet.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Id = tenant, Quota = new Resources { Cores = 10_000, MemoryMib = 100_000_000 }, AllowedRegions = { "france-centre", "france-sud" },
        });
        var instances = new List<Instance>();
        for (var i = 0; i < count; i++) instances.Add(await CreateInstanceAsync(tenant, $"vm-{i}", region, zone));
        return (tenant, instances);
    }

    private async Task<string> CreateTenantAsync(string prefix, string region)
    {
        var tenant = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await fleet.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Id = tenant, Quota = new Resources { Cores = 10_000, MemoryMib = 100_000_000 }, AllowedRegions = { region },
        });
        return tenant;
    }

    private async Task<Instance> CreateInstanceAsync(string tenant, string name, string region, string zone, string group = "", string size = Size)
    {
        var operation = await fleet.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = tenant, Name = name, Size = size, Region = region, Zone = zone, AntiAffinityGroup = group,
        });
        var done = await fleet.Provisioning.WaitOperationAsync(new WaitOperationRequest { Id = operation.Id, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) });
        Assert.Equal(OperationState.Succeeded, done.State);
        return await GetInstanceAsync(done.InstanceId);
    }

    private static string Busiest(IEnumerable<Instance> instances) =>
        instances.GroupBy(i => i.ServerId).OrderByDescending(g => g.Count()).First().Key;

    private static Condition Condition(Instance instance, string type) => instance.Conditions.Single(c => c.Type == type);

    private async Task<Instance> GetInstanceAsync(string id) => await fleet.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = id });

    private async Task<Server> GetServerAsync(string id) => await fleet.Topology.GetServerAsync(new GetServerRequest { Id = id });

    private async Task<List<string>> RunsAsync(string serverId) =>
        [.. (await fleet.Agents.ListInstancesAsync(new AgentListInstancesRequest { ServerId = serverId })).Instances.Select(i => i.InstanceId)];
}
