namespace ControlPlane.Domain.Topology;

/// <param name="Country">Where the region's datacentres are (ISO 3166-1 alpha-2): what residency rules check.</param>
public sealed record RegionSpec(string Id, string DisplayName, RegionRole Role, string OpsCentre, IReadOnlyList<ZoneSpec> Zones, string Country = "FR")
{
    /// <summary>The zones that take placements, in the region's order: retiring ones take nothing new.</summary>
    public IEnumerable<ZoneSpec> ActiveZones => Zones.Where(z => z.State == ZoneState.Active);
}
