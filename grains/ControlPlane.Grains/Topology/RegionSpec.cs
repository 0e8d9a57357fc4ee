using ControlPlane.Model;

namespace ControlPlane.Topology;

public sealed record RegionSpec(string Id, string DisplayName, RegionRole Role, string OpsCentre, IReadOnlyList<ZoneSpec> Zones);
