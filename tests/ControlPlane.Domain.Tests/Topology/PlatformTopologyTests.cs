using ControlPlane.Domain.Topology;

namespace ControlPlane.Domain.Tests.Topology;

public sealed class PlatformTopologyTests
{
    private static string Deployed(string path) => Path.Combine(AppContext.BaseDirectory, path);

    [Fact]
    public void The_default_topology_is_todays_platform()
    {
        var topology = PlatformTopology.Load(Deployed("topology/default.json"));

        Assert.Equal(10_000, topology.ServerCount);
        var centre = topology.FindRegion("france-centre")!;
        Assert.Equal((RegionRole.Production, "idf"), (centre.Role, centre.OpsCentre));
        Assert.Equal(["fr-centre-1", "fr-centre-2", "fr-centre-3"], centre.Zones.Select(z => z.Id));
        Assert.Equal(3, centre.Zones.Select(z => z.Datacentre).Distinct().Count());
        var sud = topology.FindRegion("france-sud")!;
        // The seed has both regions in production; france-sud turns disaster recovery through a recorded live change.
        Assert.Equal((RegionRole.Production, "rennes"), (sud.Role, sud.OpsCentre));
        Assert.Equal(["fr-sud-1"], sud.Zones.Select(z => z.Id));
        var servers = topology.Regions.SelectMany(r => r.Zones).SelectMany(z => z.Servers).ToList();
        Assert.True(servers.Select(s => s.Sku).Distinct().Count() >= 3);
        Assert.Contains(servers, s => s.Capacity.Gpus > 0 && s.GpuModel.Length > 0);
        Assert.Equal(servers.Count, servers.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void Every_gpu_size_in_the_catalogue_has_servers_to_run_on()
    {
        var topology = PlatformTopology.Load(Deployed("topology/default.json"));
        var sizes = SizeCatalog.Load(Deployed("catalogue/sizes.json"));
        var servers = topology.Regions.SelectMany(r => r.Zones).SelectMany(z => z.Servers).ToList();

        Assert.Contains(sizes.All, s => s.Family == "memory-optimised");
        Assert.All(sizes.All, size => Assert.Contains(servers, s =>
            s.Capacity.Covers(size.Resources) && (size.Resources.Gpus == 0 || s.GpuModel == size.GpuModel)));
    }

    [Theory]
    [InlineData("unknown SKU", "nope", "idf", "production")]
    [InlineData("unknown ops centre", "small", "lyon", "production")]
    [InlineData("role 'primary'", "small", "idf", "primary")]
    public void A_broken_topology_is_refused_with_a_message_that_names_the_problem(string expected, string sku, string opsCentre, string role)
    {
        var doc = new TopologyDocument
        {
            OpsCentres = [new() { Id = "idf" }],
            Skus = [new() { Id = "small", Cores = 16, MemoryGib = 64 }],
            Regions = [new() { Id = "r", Role = role, OpsCentre = opsCentre, Zones = [new() { Id = "z", Racks = [new() { Sku = sku, Racks = 1, ServersPerRack = 1 }] }] }],
        };

        var e = Assert.Throws<InvalidOperationException>(() => PlatformTopology.FromDocument(doc));
        Assert.Contains(expected, e.Message);
    }
}
