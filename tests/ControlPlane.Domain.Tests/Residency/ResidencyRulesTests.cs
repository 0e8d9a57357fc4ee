using ControlPlane.Domain.Residency;
using ControlPlane.Domain.Topology;

namespace ControlPlane.Domain.Tests.Residency;

public sealed class ResidencyRulesTests
{
    private static RegionSpec Region(string id, string country, RegionRole role = RegionRole.Production) => new(id, id, role, "idf", [], country);

    [Theory]
    [InlineData("FR", "", ResidencyProblem.None)]
    [InlineData("DE", "", ResidencyProblem.None)]
    [InlineData("CH", "", ResidencyProblem.OutsideEu)]
    [InlineData("CH", "CH", ResidencyProblem.OutsideEu)]
    [InlineData("DE", "FR", ResidencyProblem.OutsideCountry)]
    [InlineData("FR", "FR", ResidencyProblem.None)]
    public void Data_stays_in_the_eu_and_in_the_tenants_country(string regionCountry, string dataCountry, ResidencyProblem expected) =>
        Assert.Equal(expected, ResidencyRules.Check(Region("r", regionCountry), dataCountry));

    [Fact]
    public void In_country_disaster_recovery_needs_the_same_country()
    {
        var paris = Region("paris", "FR");
        Assert.True(ResidencyRules.DrCountryAllowed(inCountryDr: true, paris, Region("marseille", "FR")));
        Assert.False(ResidencyRules.DrCountryAllowed(inCountryDr: true, paris, Region("frankfurt", "DE")));
        Assert.True(ResidencyRules.DrCountryAllowed(inCountryDr: false, paris, Region("frankfurt", "DE")));
    }

    [Fact]
    public void The_disaster_recovery_region_is_the_first_with_that_role()
    {
        (string, RegionRole)[] regions = [("a", RegionRole.Production), ("b", RegionRole.DisasterRecovery), ("c", RegionRole.DisasterRecovery)];
        Assert.Equal("b", ResidencyRules.DisasterRecoveryRegion(regions));
        Assert.Equal("b", ResidencyRules.DisasterRecoveryRegion(regions, from: "a"));
        Assert.Null(ResidencyRules.DisasterRecoveryRegion(regions[..1]));
    }

    [Fact]
    public void A_region_never_fails_over_to_itself()
    {
        (string, RegionRole)[] regions = [("b", RegionRole.DisasterRecovery), ("c", RegionRole.DisasterRecovery)];
        Assert.Equal("c", ResidencyRules.DisasterRecoveryRegion(regions, from: "b"));
        Assert.Null(ResidencyRules.DisasterRecoveryRegion(regions[..1], from: "b"));
    }
}
