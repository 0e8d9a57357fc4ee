using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Topology;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Topology;

namespace ControlPlane.Grains.Tests.Topology;

/// <summary>Live topology changes through the change log grain, on region "live" of the test topology.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TopologyChangeLogTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;
    private ITopologyChangeLogGrain Log => _grains.GetGrain<ITopologyChangeLogGrain>(ITopologyChangeLogGrain.Key);
    private ITopologyGrain Topology => _grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key);
    private static readonly ChangeAuthor Ops = new("ops-team", "test");

    private async Task<ZoneInfo?> ZoneAsync(string id) => (await Topology.ListZonesAsync("live")).SingleOrDefault(z => z.Id == id);

    [Fact]
    public async Task A_zone_is_added_placed_into_retired_then_removed_and_the_region_turns_disaster_recovery()
    {
        await _grains.TenantAsync("live-tenant", Provision.Quota(64), "live");
        var added = await Log.AddZoneAsync(new AddZoneCommand("live", "live-c", "dc-l3", [new RackGroup("small", 1, 2)]), Ops);

        Assert.Equal((TopologyChangeKind.AddZone, "ops-team", "test"), (added.Kind, added.Actor, added.Reason));
        Assert.Equal((2, ZoneState.Active), ((await ZoneAsync("live-c"))!.ServerCount, (await ZoneAsync("live-c"))!.State));
        await Provision.FailsAsync(() => Log.AddZoneAsync(new AddZoneCommand("live", "live-c", "dc-l3", [new RackGroup("small", 1, 2)]), Ops),
            ErrorStatus.AlreadyExists, ErrorReasons.ZoneExists);
        var placed = await _grains.WaitAsync(await _grains.CreateAsync("live-tenant", "vm-1", "s4", "live", "live-c"));
        Assert.Equal(OperationState.Succeeded, placed.State);
        var instanceId = placed.InstanceId;
        Assert.Equal("live-c", (await _grains.InstanceAsync(instanceId)).Zone);

        var retire = await Log.RetireZoneAsync("live-c", Ops);
        Assert.Equal(retire.Version, (await Log.RetireZoneAsync("live-c", Ops)).Version);
        ZoneInfo? zone = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            zone = await ZoneAsync("live-c");
            if (zone?.State == ZoneState.Retired) break;
        }

        Assert.Equal(ZoneState.Retired, zone?.State);
        var moved = await _grains.InstanceAsync(instanceId);
        Assert.Equal(InstanceState.Running, moved.State);
        Assert.Contains(moved.Zone, new[] { "live-a", "live-b" });
        await Provision.FailsAsync(() => Topology.ListServersAsync("live-c", 10, null), ErrorStatus.NotFound, ErrorReasons.ZoneNotFound);

        var role = await Log.SetRegionRoleAsync("live", RegionRole.DisasterRecovery, Ops);
        var refused = await Provision.FailsAsync(() => _grains.CreateAsync("live-tenant", "vm-2", "s4", "live"),
            ErrorStatus.FailedPrecondition, ErrorReasons.RegionNotProduction);
        Assert.Equal("live", refused.Metadata["region"]);
        Assert.Equal(InstanceState.Running, (await _grains.InstanceAsync(instanceId)).State);

        var log = await Log.ListAsync(added.Version - 1);
        Assert.Equal(Enumerable.Range(0, log.Length).Select(i => added.Version + i), log.Select(c => c.Version));
        var mine = log.Where(c => c.Zone == "live-c" || c.Region == "live").ToList();
        Assert.Equal([TopologyChangeKind.AddZone, TopologyChangeKind.RetireZone, TopologyChangeKind.RemoveZone, TopologyChangeKind.SetRegionRole],
            mine.Select(c => c.Kind));
        Assert.Equal(role.Version, mine[^1].Version);
        Assert.Equal(TopologyChangeLogGrain.SystemActor, mine[2].Actor);
    }
}
