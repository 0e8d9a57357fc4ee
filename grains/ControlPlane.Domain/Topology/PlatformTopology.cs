using System.Text.Json;

namespace ControlPlane.Domain.Topology;

/// <summary>
/// The platform's regions, zones and servers: the seed topology file plus the live changes applied
/// so far. Holds an immutable <see cref="TopologySnapshot"/> swapped atomically, so readers never
/// lock; one caller's consecutive reads may see two versions, each of them whole.
/// </summary>
public sealed class PlatformTopology
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly Lock _write = new();
    private volatile TopologySnapshot _current;

    public PlatformTopology(TopologySnapshot seed) => _current = seed;

    public TopologySnapshot Current => _current;
    public long Version => _current.Version;
    public IReadOnlyList<RegionSpec> Regions => _current.Regions;
    public int ServerCount => _current.ServerCount;

    public RegionSpec? FindRegion(string id) => _current.FindRegion(id);
    public ZoneSpec? FindZone(string id) => _current.FindZone(id);
    public ServerSpec? FindServer(string id) => _current.FindServer(id);

    /// <summary>The region a region, zone or server id belongs to.</summary>
    public RegionSpec? RegionOf(string id) => _current.RegionOf(id);

    /// <summary>
    /// Applies the changes this topology does not have yet, in version order (older ones are skipped,
    /// a gap stops the catch-up); returns the version reached.
    /// </summary>
    public long CatchUp(IEnumerable<TopologyChange> changes)
    {
        lock (_write)
        {
            var snapshot = _current;
            foreach (var change in changes.OrderBy(c => c.Version))
            {
                if (change.Version <= snapshot.Version) continue;
                if (change.Version != snapshot.Version + 1) break;
                snapshot = TopologyChanges.Apply(snapshot, change);
            }
            _current = snapshot;
            return snapshot.Version;
        }
    }

    public static PlatformTopology Load(string path)
    {
        TopologyDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<TopologyDocument>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Topology file '{path}' cannot be read: {e.Message}", e);
        }
        return FromDocument(doc ?? throw new InvalidOperationException($"Topology file '{path}' is empty"), path);
    }

    public static PlatformTopology FromDocument(TopologyDocument doc, string source = "topology")
    {
        void Fail(string message) => throw new InvalidOperationException($"{source}: {message}");

        var opsCentres = doc.OpsCentres.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var skus = new Dictionary<string, SkuDocument>(StringComparer.Ordinal);
        foreach (var sku in doc.Skus)
        {
            if (sku.Cores <= 0 || sku.MemoryGib <= 0 || sku.Gpus < 0) Fail($"SKU '{sku.Id}' needs positive cores and memory");
            if (sku.Gpus > 0 && string.IsNullOrEmpty(sku.GpuModel)) Fail($"SKU '{sku.Id}' has GPUs but no gpuModel");
            if (!skus.TryAdd(sku.Id, sku)) Fail($"SKU '{sku.Id}' is defined twice");
        }
        if (doc.Regions.Count == 0) Fail("no regions");

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var regions = new List<RegionSpec>();
        foreach (var r in doc.Regions)
        {
            if (!ids.Add(r.Id)) Fail($"id '{r.Id}' is used twice");
            if (!opsCentres.Contains(r.OpsCentre)) Fail($"region '{r.Id}' names unknown ops centre '{r.OpsCentre}'");
            if (r.Country.Length != 2 || !r.Country.All(char.IsAsciiLetterUpper)) Fail($"region '{r.Id}' has country '{r.Country}'; expected an ISO 3166-1 alpha-2 code such as FR");
            var role = r.Role switch
            {
                "production" => RegionRole.Production,
                "disaster-recovery" => RegionRole.DisasterRecovery,
                _ => throw new InvalidOperationException($"{source}: region '{r.Id}' has role '{r.Role}'; expected production or disaster-recovery"),
            };
            var zones = new List<ZoneSpec>();
            foreach (var z in r.Zones)
            {
                if (!ids.Add(z.Id)) Fail($"id '{z.Id}' is used twice");
                foreach (var group in z.Racks)
                {
                    if (!skus.ContainsKey(group.Sku)) Fail($"zone '{z.Id}' names unknown SKU '{group.Sku}'");
                    if (group.Racks <= 0 || group.ServersPerRack <= 0) Fail($"zone '{z.Id}': racks and serversPerRack must be positive");
                }
                var servers = TopologySnapshot.Expand(r.Id, z.Id, z.Datacentre,
                    z.Racks.Select(g => new RackGroup(g.Sku, g.Racks, g.ServersPerRack)), skus);
                if (servers.Count == 0) Fail($"zone '{z.Id}' has no servers");
                zones.Add(new ZoneSpec(z.Id, r.Id, z.Datacentre, servers));
            }
            if (zones.Count == 0) Fail($"region '{r.Id}' has no zones");
            regions.Add(new RegionSpec(r.Id, string.IsNullOrEmpty(r.DisplayName) ? r.Id : r.DisplayName, role, r.OpsCentre, zones, r.Country));
        }
        return new PlatformTopology(new TopologySnapshot(0, regions, skus, opsCentres, []));
    }
}
