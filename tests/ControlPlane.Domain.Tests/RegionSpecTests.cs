using ControlPlane.Domain.Topology;

namespace ControlPlane.Domain.Tests;

public sealed class RegionSpecTests
{
    private static ZoneSpec Zone(string id, ZoneState state) => new(id, "r", "dc", [], state);

    [Fact]
    public void Only_active_zones_take_placements_in_the_regions_order()
    {
        var region = new RegionSpec("r", "R", RegionRole.Production, "idf",
            [Zone("r-c", ZoneState.Active), Zone("r-a", ZoneState.Retiring), Zone("r-b", ZoneState.Active), Zone("r-d", ZoneState.Retired)]);

        Assert.Equal(["r-c", "r-b"], region.ActiveZones.Select(z => z.Id));
    }
}
