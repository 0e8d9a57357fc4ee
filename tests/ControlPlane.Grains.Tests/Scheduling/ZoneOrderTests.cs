using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Scheduling;

namespace ControlPlane.Grains.Tests.Scheduling;

public sealed class ZoneOrderTests
{
    private static readonly ZoneInfo[] Zones =
    [
        Zone("z-1", freeCores: 10),
        Zone("z-2", freeCores: 90),
        Zone("z-3", freeCores: 50),
    ];

    private static ZoneInfo Zone(string id, long freeCores) =>
        new(id, "r", "dc", new ResourceAmount(100, 1000, 0), new ResourceAmount(freeCores, 1000, 0), 10, 0, "silo", "idf");

    [Fact]
    public void Spread_tries_the_emptiest_zone_first() =>
        Assert.Equal(["z-2", "z-3", "z-1"], ZoneOrder.For(Zones, "", ZonePolicy.Spread).Select(z => z.Id));

    [Fact]
    public void Pack_tries_the_fullest_zone_first() =>
        Assert.Equal(["z-1", "z-3", "z-2"], ZoneOrder.For(Zones, "", ZonePolicy.Pack).Select(z => z.Id));

    [Fact]
    public void A_preferred_zone_comes_first_whatever_the_policy()
    {
        Assert.Equal("z-3", ZoneOrder.For(Zones, "z-3", ZonePolicy.Spread).First().Id);
        Assert.Equal("z-3", ZoneOrder.For(Zones, "z-3", ZonePolicy.Pack).First().Id);
    }
}
