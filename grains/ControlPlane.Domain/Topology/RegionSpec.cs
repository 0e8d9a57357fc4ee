namespace ControlPlane.Domain.Topology;

/// <param name="Country">Where the region's datacentres are (ISO 3166-1 alpha-2): what residency rules check.</param>
public sealed record RegionSpec(string Id, string DisplayName, RegionRole Role, string OpsCentre, IReadOnlyList<ZoneSpec> Zones, string Country = "FR");
