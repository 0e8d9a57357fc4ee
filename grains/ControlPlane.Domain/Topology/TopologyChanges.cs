namespace ControlPlane.Domain.Topology;

/// <summary>How a recorded topology change turns one snapshot into the next.</summary>
public static class TopologyChanges
{
    /// <summary>Most servers one AddZone may rack.</summary>
    public const int MaxServersPerZone = 10_000;

    /// <summary>The snapshot after the change (its version is the change's); a change that does not fit the snapshot (checked before it was recorded, see the grains' TopologyChangeRules) throws.</summary>
    public static TopologySnapshot Apply(TopologySnapshot topology, TopologyChange change)
    {
        if (topology.FindRegion(change.Region) is null) throw new InvalidOperationException($"region '{change.Region}' does not exist");
        if (change.Kind == TopologyChangeKind.AddZone)
        {
            if (topology.FindZone(change.Zone) is not null) throw new InvalidOperationException($"zone '{change.Zone}' exists already");
            if (change.Racks.FirstOrDefault(g => !topology.Skus.ContainsKey(g.Sku)) is { } unknown)
                throw new InvalidOperationException($"SKU '{unknown.Sku}' does not exist");
        }
        return change.Kind switch
        {
            TopologyChangeKind.AddZone => topology.With(change.Version, Replace(topology, change.Region, r => r with
            {
                Zones = [.. r.Zones, new ZoneSpec(change.Zone, r.Id, change.Datacentre,
                    TopologySnapshot.Expand(r.Id, change.Zone, change.Datacentre, change.Racks, topology.Skus))],
            })),
            TopologyChangeKind.SetRegionRole => topology.With(change.Version, Replace(topology, change.Region, r => r with { Role = change.Role })),
            TopologyChangeKind.RetireZone => topology.With(change.Version, Replace(topology, change.Region, r => r with
            {
                Zones = [.. r.Zones.Select(z => z.Id == change.Zone ? z with { State = ZoneState.Retiring } : z)],
            })),
            TopologyChangeKind.RemoveZone => topology.With(change.Version,
                Replace(topology, change.Region, r => r with { Zones = [.. r.Zones.Where(z => z.Id != change.Zone)] }),
                [.. topology.RetiredZones, ZoneOf(topology, change.Zone) with { Servers = [], State = ZoneState.Retired }]),
            _ => throw new InvalidOperationException($"unknown topology change kind {change.Kind}"),
        };
    }

    private static IReadOnlyList<RegionSpec> Replace(TopologySnapshot topology, string region, Func<RegionSpec, RegionSpec> change) =>
        [.. topology.Regions.Select(r => r.Id == region ? change(r) : r)];

    private static ZoneSpec ZoneOf(TopologySnapshot topology, string zone) =>
        topology.FindZone(zone) ?? throw new InvalidOperationException($"zone '{zone}' does not exist");

    public static string RoleName(RegionRole role) => role == RegionRole.Production ? "production" : "disaster-recovery";
}
