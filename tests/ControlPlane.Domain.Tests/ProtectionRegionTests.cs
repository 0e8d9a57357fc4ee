using ControlPlane.Domain.DisasterRecovery;

namespace ControlPlane.Domain.Tests;

public sealed class ProtectionRegionTests
{
    [Theory]
    [InlineData("paris", "", "paris")]
    [InlineData("rennes", "paris", "paris")]
    public void Protection_stays_with_the_home_region_while_failed_over_and_is_the_current_region_otherwise(string region, string home, string expected) =>
        Assert.Equal(expected, ProtectionRegion.Of(region, home));
}
