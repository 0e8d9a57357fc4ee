using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// Replays the platform's history through the live topology API: two zones in production, two zones
/// added under load, france-sud turned disaster recovery, then a zone retired. No restart, and no
/// create fails because of a change.
/// </summary>
public sealed class TopologyHistoryTests(HistoryFixture platform, ITestOutputHelper output) : IClassFixture<HistoryFixture>
{
    private const string Size = "Standard_D2s_v5";
    private const string Actor = "ops-idf";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_platform_grows_to_three_zones_under_load_turns_france_sud_disaster_recovery_and_retires_a_zone()
    {
        const string tenant = "history";
        await platform.Tenants.CreateTenantAsync(new CreateTenantRequest
        {
            Id = tenant, Quota = new Resources { Cores = 100_000, MemoryMib = 1_000_000_000 }, AllowedRegions = { "france-centre", "france-sud" },
        });
        var sud = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => CreateAsync(tenant, $"sud-{i}", "france-sud")));
        Assert.All(sud, o => Assert.Equal(OperationState.Succeeded, o.State));

        // 1. Background load on france-centre while fr-centre-2 and fr-centre-3 are racked and added.
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var created = new ConcurrentQueue<string>();
        var load = Task.WhenAll(Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 150 && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var done = await CreateAsync(tenant, $"load-{worker}-{i}", "france-centre");
                    if (done.State == OperationState.Succeeded) created.Enqueue(done.InstanceId);
                    else failures.Enqueue($"{done.InstanceId}: {done.State} {done.Error?.Message}");
                }
                catch (RpcException e)
                {
                    failures.Enqueue($"load-{worker}-{i}: {e.StatusCode} {e.Status.Detail}");
                }
            }
        })));
        await Eventually.HoldsAsync(() => Task.FromResult((created.Count >= 4, $"{created.Count} created")), Bound);
        foreach (var (zone, datacentre) in new[] { ("fr-centre-2", "paris-nord"), ("fr-centre-3", "paris-est") })
        {
            var racks = new RackGroup { Sku = "gp-64", Racks = 2, ServersPerRack = 4 };
            Assert.Equal(8, (await platform.FleetControl.RackServersAsync(new RackServersRequest
            {
                Region = "france-centre", Zone = zone, Datacentre = datacentre, Racks = { racks },
            })).Servers);
            var change = await platform.Topology.AddZoneAsync(new AddZoneRequest
            {
                Region = "france-centre", Zone = zone, Datacentre = datacentre, Racks = { racks }, Actor = Actor, Reason = $"{datacentre} opens",
            });
            Assert.Equal((TopologyChangeKind.AddZone, Actor), (change.Kind, change.Actor));
            output.WriteLine($"{zone} added as version {change.Version} after {created.Count} creates");
        }
        await Eventually.HoldsAsync(async () =>
        {
            var zones = await ZonesAsync("france-centre");
            var counts = zones.Select(z => $"{z.Id}={z.InstanceCount}");
            return (zones.Count(z => z.Id is "fr-centre-2" or "fr-centre-3" && z.InstanceCount > 0) == 2 || failures.Count > 0, string.Join(", ", counts));
        }, Bound);
        await stop.CancelAsync();
        await load;
        Assert.True(failures.IsEmpty, "creates failed during the topology changes: " + string.Join("; ", failures));
        output.WriteLine($"{created.Count} creates under load, none failed");

        // 2. france-sud becomes the disaster-recovery region: no new instance there, what runs keeps running.
        var role = await platform.Topology.SetRegionRoleAsync(new SetRegionRoleRequest
        {
            Region = "france-sud", Role = RegionRole.DisasterRecovery, Actor = Actor, Reason = "france-sud becomes the DR site",
        });
        Assert.Equal(RegionRole.DisasterRecovery, role.Role);
        var (info, _) = await Api.FailsAsync(() => platform.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = tenant, Name = "sud-new", Size = Size, Region = "france-sud",
        }).ResponseAsync, StatusCode.FailedPrecondition, "REGION_NOT_PRODUCTION");
        Assert.Equal("france-sud", info.Metadata["region"]);
        Assert.Equal(RegionRole.DisasterRecovery, (await platform.Topology.ListRegionsAsync(new ListRegionsRequest())).Regions.Single(r => r.Id == "france-sud").Role);
        foreach (var operation in sud)
        {
            var instance = await InstanceAsync(operation.InstanceId);
            Assert.Equal((InstanceState.Running, "fr-sud-1"), (instance.State, instance.Zone));
            Assert.Contains(instance.Id, (await platform.Agents.ListInstancesAsync(new AgentListInstancesRequest { ServerId = instance.ServerId })).Instances.Select(i => i.InstanceId));
        }

        // 3. fr-centre-1 retires: cordoned, drained, removed; its instances run in the other zones.
        var inFirst = new List<string>();
        foreach (var id in created)
        {
            if ((await InstanceAsync(id)).Zone == "fr-centre-1") inFirst.Add(id);
        }
        Assert.NotEmpty(inFirst);
        var retire = await platform.Topology.RetireZoneAsync(new RetireZoneRequest { Zone = "fr-centre-1", Actor = Actor, Reason = "paris-saclay closes" });
        Assert.Equal(TopologyChangeKind.RetireZone, retire.Kind);
        await Api.FailsAsync(() => platform.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = tenant, Name = "pinned", Size = Size, Region = "france-centre", Zone = "fr-centre-1",
        }).ResponseAsync, StatusCode.FailedPrecondition, "ZONE_RETIRING");
        await Eventually.HoldsAsync(async () =>
        {
            var zone = (await ZonesAsync("france-centre")).Single(z => z.Id == "fr-centre-1");
            return (zone.State == ZoneState.Retired, $"{zone.State}, {zone.InstanceCount} instances");
        }, Bound);
        foreach (var id in inFirst)
        {
            var instance = await InstanceAsync(id);
            Assert.Equal(InstanceState.Running, instance.State);
            Assert.Contains(instance.Zone, new[] { "fr-centre-2", "fr-centre-3" });
        }
        Assert.DoesNotContain("fr-centre-1", (await platform.Topology.ListRegionsAsync(new ListRegionsRequest())).Regions.Single(r => r.Id == "france-centre").Zones);
        await Api.FailsAsync(() => platform.Topology.ListServersAsync(new ListServersRequest { Zone = "fr-centre-1" }).ResponseAsync, StatusCode.NotFound, "ZONE_NOT_FOUND");

        // 4. The change log tells the story, with who and why.
        var log = (await platform.Topology.ListTopologyChangesAsync(new ListTopologyChangesRequest())).Changes;
        Assert.Equal([TopologyChangeKind.AddZone, TopologyChangeKind.AddZone, TopologyChangeKind.SetRegionRole, TopologyChangeKind.RetireZone, TopologyChangeKind.RemoveZone],
            log.Select(c => c.Kind));
        Assert.Equal([1L, 2, 3, 4, 5], log.Select(c => c.Version));
        Assert.All(log.Take(4), c => Assert.Equal(Actor, c.Actor));
        Assert.Equal(("fr-centre-1", "control-plane"), (log[4].Zone, log[4].Actor));
    }

    private async Task<Operation> CreateAsync(string tenant, string name, string region)
    {
        var operation = await platform.Provisioning.CreateInstanceAsync(new CreateInstanceRequest
        {
            RequestId = Guid.NewGuid().ToString(), TenantId = tenant, Name = name, Size = Size, Region = region,
        });
        return await platform.Provisioning.WaitOperationAsync(new WaitOperationRequest { Id = operation.Id, Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) });
    }

    private async Task<List<Zone>> ZonesAsync(string region) =>
        [.. (await platform.Topology.ListZonesAsync(new ListZonesRequest { Region = region })).Zones];

    private async Task<Instance> InstanceAsync(string id) => await platform.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = id });
}
