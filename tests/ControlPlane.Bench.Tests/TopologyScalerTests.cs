using ControlPlane.Domain.Topology;

namespace ControlPlane.Bench.Tests;

public sealed class TopologyScalerTests
{
    private static readonly TopologyDocument Default = TopologyScaler.Read(Path.Combine(AppContext.BaseDirectory, "topology", "default.json"));

    [Theory]
    [InlineData(100)]
    [InlineData(1_000)]
    [InlineData(1_234)]
    [InlineData(10_000)]
    [InlineData(100_000)]
    public void The_scaled_topology_has_exactly_the_servers_asked_for_and_loads(int servers)
    {
        var scaled = TopologyScaler.Scale(Default, servers);

        Assert.Equal(servers, TopologyScaler.ServerCount(scaled));
        Assert.Equal(servers, PlatformTopology.FromDocument(scaled).ServerCount);
    }

    [Fact]
    public void The_shape_is_kept_zones_and_each_zones_mix_of_skus()
    {
        var scaled = PlatformTopology.FromDocument(TopologyScaler.Scale(Default, 1_000));
        var original = PlatformTopology.FromDocument(Default);

        Assert.Equal(original.Regions.SelectMany(r => r.Zones).Select(z => z.Id), scaled.Regions.SelectMany(r => r.Zones).Select(z => z.Id));
        foreach (var zone in scaled.Regions.SelectMany(r => r.Zones))
        {
            // The default zone: 2,000 general-purpose, 400 memory-optimised, 100 GPU servers; a tenth of it.
            var bySku = zone.Servers.GroupBy(s => s.Sku).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(new Dictionary<string, int> { ["gp-64"] = 200, ["mo-64"] = 40, ["gpu-h100-8"] = 10 }, bySku);
        }
    }

    [Fact]
    public void A_partial_rack_becomes_a_second_group_of_the_same_sku()
    {
        var scaled = TopologyScaler.Scale(Default, 1_000);

        // 10 GPU servers per zone from racks of 4: two full racks and one of 2.
        var gpu = scaled.Regions[0].Zones[0].Racks.Where(g => g.Sku == "gpu-h100-8").Select(g => (g.Racks, g.ServersPerRack));
        Assert.Equal([(2, 4), (1, 2)], gpu);
    }

    [Fact]
    public void The_default_size_is_the_default_topology()
    {
        var scaled = TopologyScaler.Scale(Default, TopologyScaler.ServerCount(Default));

        Assert.Equal(
            Default.Regions.SelectMany(r => r.Zones).SelectMany(z => z.Racks).Select(g => (g.Sku, g.Racks, g.ServersPerRack)),
            scaled.Regions.SelectMany(r => r.Zones).SelectMany(z => z.Racks).Select(g => (g.Sku, g.Racks, g.ServersPerRack)));
    }

    [Fact]
    public void Too_few_servers_for_the_zones_is_refused() =>
        Assert.Throws<BenchException>(() => TopologyScaler.Scale(Default, 3));
}
