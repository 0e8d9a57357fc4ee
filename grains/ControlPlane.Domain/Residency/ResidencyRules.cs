using ControlPlane.Domain.Topology;

namespace ControlPlane.Domain.Residency;

/// <summary>Where a tenant's data may live: always in the EU, and in one country when the tenant says so.</summary>
public static class ResidencyRules
{
    /// <summary>What keeps <paramref name="region"/> from holding the data of a tenant that keeps it in <paramref name="dataCountry"/> ("" for anywhere in the EU).</summary>
    public static ResidencyProblem Check(RegionSpec region, string dataCountry)
    {
        if (!EuropeanUnion.Contains(region.Country)) return ResidencyProblem.OutsideEu;
        if (dataCountry.Length > 0 && region.Country != dataCountry) return ResidencyProblem.OutsideCountry;
        return ResidencyProblem.None;
    }

    /// <summary>True when a tenant that wants in-country disaster recovery may keep copies of <paramref name="home"/>'s instances in <paramref name="dr"/>.</summary>
    public static bool DrCountryAllowed(bool inCountryDr, RegionSpec home, RegionSpec dr) => !inCountryDr || dr.Country == home.Country;

    /// <summary>
    /// The region the protected instances of region <paramref name="from"/> fail over to: the first other region
    /// with the disaster-recovery role (null: none). Without <paramref name="from"/>, the first region with that role.
    /// </summary>
    public static string? DisasterRecoveryRegion(IEnumerable<(string Id, RegionRole Role)> regions, string from = "") =>
        regions.FirstOrDefault(r => r.Role == RegionRole.DisasterRecovery && r.Id != from).Id;
}
