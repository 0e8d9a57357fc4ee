using ControlPlane.Domain.Capacity;

namespace ControlPlane.Domain.Topology;

/// <summary>
/// The topology at one version: immutable, so readers never lock. A change makes a new snapshot
/// (see <see cref="TopologyChanges"/>) that shares the untouched zones' server lists.
/// </summary>
public sealed class TopologySnapshot
{
    private readonly Dictionary<string, RegionSpec> _regions;
    private readonly Dictionary<string, ZoneSpec> _zones;
    private readonly Dictionary<string, ServerSpec> _servers;

    internal TopologySnapshot(long version, IReadOnlyList<RegionSpec> regions, IReadOnlyDictionary<string, SkuDocument> skus,
        IReadOnlySet<string> opsCentres, IReadOnlyList<ZoneSpec> retiredZones)
    {
        Version = version;
        Regions = regions;
        Skus = skus;
        OpsCentres = opsCentres;
        RetiredZones = retiredZones;
        _regions = regions.ToDictionary(r => r.Id, StringComparer.Ordinal);
        _zones = regions.SelectMany(r => r.Zones).ToDictionary(z => z.Id, StringComparer.Ordinal);
        _servers = _zones.Values.SelectMany(z => z.Servers).ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    /// <summary>How many changes of the log this snapshot includes (0: the seed file alone).</summary>
    public long Version { get; }
    public IReadOnlyList<RegionSpec> Regions { get; }
    public IReadOnlyDictionary<string, SkuDocument> Skus { get; }
    public IReadOnlySet<string> OpsCentres { get; }
    /// <summary>Zones removed by a retirement; their ids are never used again.</summary>
    public IReadOnlyList<ZoneSpec> RetiredZones { get; }
    public int ServerCount => _servers.Count;

    public RegionSpec? FindRegion(string id) => _regions.GetValueOrDefault(id);
    public ZoneSpec? FindZone(string id) => _zones.GetValueOrDefault(id);
    public ServerSpec? FindServer(string id) => _servers.GetValueOrDefault(id);

    /// <summary>Whether an id names a region, a zone or a retired zone.</summary>
    public bool IsUsed(string id) =>
        _regions.ContainsKey(id) || _zones.ContainsKey(id) || RetiredZones.Any(z => z.Id == id);

    /// <summary>The region a region, zone or server id belongs to.</summary>
    public RegionSpec? RegionOf(string id)
    {
        if (FindRegion(id) is { } region) return region;
        var regionId = FindZone(id)?.Region ?? FindServer(id)?.Region;
        return regionId is null ? null : FindRegion(regionId);
    }

    internal TopologySnapshot With(long version, IReadOnlyList<RegionSpec> regions, IReadOnlyList<ZoneSpec>? retiredZones = null) =>
        new(version, regions, Skus, OpsCentres, retiredZones ?? RetiredZones);

    /// <summary>The servers of a zone: racks numbered from 1 in the order of the groups, servers from 1 in each rack.</summary>
    public static IReadOnlyList<ServerSpec> Expand(string region, string zone, string datacentre, IEnumerable<RackGroup> groups,
        IReadOnlyDictionary<string, SkuDocument> skus)
    {
        var servers = new List<ServerSpec>();
        var rackNo = 0;
        foreach (var group in groups)
        {
            var sku = skus[group.Sku];
            var capacity = new ResourceAmount(sku.Cores, sku.MemoryGib * 1024, sku.Gpus);
            for (var rack = 0; rack < group.Racks; rack++)
            {
                var rackId = $"{zone}-r{++rackNo:000}";
                for (var slot = 1; slot <= group.ServersPerRack; slot++)
                {
                    servers.Add(new ServerSpec($"{rackId}-s{slot:00}", zone, region, datacentre, rackId, sku.Id, sku.GpuModel, capacity));
                }
            }
        }
        return servers;
    }
}
