using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Zones;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace ControlPlane.Grains.Tests.Serialization;

/// <summary>The pure domain library's types cross silos through the Orleans serializer (surrogates in Abstractions/Serialization).</summary>
public sealed class DomainSerializationTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private static T RoundTrip<T>(T value)
    {
        var serializer = Services.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value))!;
    }

    private static T Copy<T>(T value) => Services.GetRequiredService<DeepCopier>().Copy(value)!;

    [Fact]
    public void Domain_values_survive_the_wire_and_copies()
    {
        var change = new TopologyChange(3, DateTimeOffset.UnixEpoch, TopologyChangeKind.AddZone, "op:alice", "new hall", "france-centre", "fr-centre-4",
            "dc-4", [new RackGroup("small", 2, 20)], RegionRole.DisasterRecovery);
        var back = RoundTrip(change);
        Assert.Equal(change with { Racks = back.Racks }, back);
        Assert.Equal(change.Racks.ToArray(), back.Racks.ToArray());
        Assert.Same(change, Copy(change));

        var size = new InstanceSize("Standard_D4s_v5", "general-purpose", new ResourceAmount(4, 16384, 0), "");
        Assert.Equal(size, RoundTrip(size));
        Assert.Equal(new ResourceAmount(1, 2, 3), RoundTrip(new ResourceAmount(1, 2, 3)));
    }

    [Fact]
    public void Wire_records_that_carry_domain_enums_and_amounts_survive_the_wire()
    {
        var zone = new ZoneInfo("z", "r", "dc", new ResourceAmount(10, 20, 1), new ResourceAmount(5, 6, 0), 3, 4, "silo", "idf", ZoneState.Retiring);
        Assert.Equal(zone, RoundTrip(zone));
        var region = new RegionInfo("r", "R", RegionRole.DisasterRecovery, "rennes", ["z"], new ResourceAmount(1, 1, 0), ResourceAmount.Zero, 1) { Country = "FR" };
        var regionBack = RoundTrip(region);
        Assert.Equal((region.Role, region.Total, region.Country), (regionBack.Role, regionBack.Total, regionBack.Country));
    }
}
