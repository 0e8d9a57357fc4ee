using ControlPlane.Domain.Topology;

namespace ControlPlane.Domain.Tests.Topology;

/// <summary>Applying recorded changes; the checks that refuse a change before it is recorded are the grains' (TopologyChangesTests there).</summary>
public sealed class TopologyChangesApplyTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static TopologyChange AddZone(long version, string region, string zone, params RackGroup[] racks) =>
        new(version, At, TopologyChangeKind.AddZone, "ops", "test", region, zone, "dc-new", [.. racks]);

    [Fact]
    public void Retire_then_remove_takes_the_zone_out_and_keeps_it_as_retired()
    {
        var topology = TestTopology.Create();
        var snapshot = TopologyChanges.Apply(topology.Current, new(1, At, TopologyChangeKind.RetireZone, "ops", "test", "live", "live-a"));
        Assert.Equal(ZoneState.Retiring, snapshot.FindZone("live-a")!.State);

        snapshot = TopologyChanges.Apply(snapshot, new(2, At, TopologyChangeKind.RemoveZone, "ops", "test", "live", "live-a"));
        Assert.Null(snapshot.FindZone("live-a"));
        Assert.Equal(2, snapshot.Version);
        Assert.Contains(snapshot.RetiredZones, z => z.Id == "live-a" && z.State == ZoneState.Retired && z.Servers.Count == 0);
    }

    [Theory]
    [InlineData("nowhere", "new-zone", "small")]
    [InlineData("prod", "prod-a", "small")]
    [InlineData("prod", "new-zone", "no-such-sku")]
    public void A_change_that_does_not_fit_the_snapshot_is_not_applied(string region, string zone, string sku)
    {
        var topology = TestTopology.Create();
        Assert.Throws<InvalidOperationException>(() => TopologyChanges.Apply(topology.Current, AddZone(1, region, zone, new RackGroup(sku, 1, 1))));
        Assert.Equal(0, topology.Version);
    }

    [Fact]
    public void Catching_up_skips_changes_already_applied_and_stops_at_a_gap()
    {
        var topology = TestTopology.Create();
        Assert.Equal(1, topology.CatchUp([AddZone(1, "prod", "prod-c", new RackGroup("small", 1, 2))]));
        Assert.Equal(1, topology.CatchUp([AddZone(1, "prod", "prod-c", new RackGroup("small", 1, 2)), AddZone(3, "prod", "prod-e", new RackGroup("small", 1, 1))]));
        Assert.Null(topology.FindZone("prod-e"));
    }
}
