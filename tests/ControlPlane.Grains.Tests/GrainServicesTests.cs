using ControlPlane.Domain.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Grains.Tests;

/// <summary>The grains' registrations hold the topology once: the host's, or one read from the settings.</summary>
public sealed class GrainServicesTests
{
    private static IServiceCollection Services(PlatformTopology? topology) =>
        new ServiceCollection().AddControlPlaneGrains(new ConfigurationBuilder().Build(), topology);

    private static PlatformTopology Resolve(PlatformTopology? topology)
    {
        using var provider = Services(topology).BuildServiceProvider();
        return provider.GetRequiredService<PlatformTopology>();
    }

    [Fact]
    public void The_topology_the_host_loaded_is_the_one_the_grains_get()
    {
        var topology = TestTopology.Create();

        Assert.Same(topology, Resolve(topology));
        Assert.Single(Services(topology), d => d.ServiceType == typeof(PlatformTopology));
    }

    [Fact]
    public void Without_one_the_topology_is_read_from_the_settings() =>
        Assert.Equal(PlatformTopology.Load(TopologyOptions.Resolve(new TopologyOptions().File)).ServerCount, Resolve(null).ServerCount);
}
