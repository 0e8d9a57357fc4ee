using System.Text.Json;
using ControlPlane.Model;

namespace ControlPlane.Topology;

/// <summary>The platform's regions, zones and servers, expanded from a small topology file.</summary>
public sealed class PlatformTopology
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private readonly Dictionary<string, RegionSpec> _regions;
    private readonly Dictionary<string, ZoneSpec> _zones;
    private readonly Dictionary<string, ServerSpec> _servers;

    private PlatformTopology(IReadOnlyList<RegionSpec> regions)
    {
        Regions = regions;
        _regions = regions.ToDictionary(r => r.Id, StringComparer.Ordinal);
        _zones = regions.SelectMany(r => r.Zones).ToDictionary(z => z.Id, StringComparer.Ordinal);
        _servers = _zones.Values.SelectMany(z => z.Servers).ToDictionary(s => s.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<RegionSpec> Regions { get; }
    public int ServerCount => _servers.Count;

    public RegionSpec? FindRegion(string id) => _regions.GetValueOrDefault(id);
    public ZoneSpec? FindZone(string id) => _zones.GetValueOrDefault(id);
    public ServerSpec? FindServer(string id) => _servers.GetValueOrDefault(id);

    /// <summary>The region a region, zone or server id belongs to.</summary>
    public RegionSpec? RegionOf(string id)
    {
        if (FindRegion(id) is { } region) return region;
        var regionId = FindZone(id)?.Region ?? FindServer(id)?.Region;
        return regionId is null ? null : FindRegion(regionId);
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
                var servers = new List<ServerSpec>();
                var rackNo = 0;
                foreach (var group in z.Racks)
                {
                    if (!skus.TryGetValue(group.Sku, out var sku)) { Fail($"zone '{z.Id}' names unknown SKU '{group.Sku}'"); continue; }
                    if (group.Racks <= 0 || group.ServersPerRack <= 0) Fail($"zone '{z.Id}': racks and serversPerRack must be positive");
                    var capacity = new ResourceAmount(sku.Cores, sku.MemoryGib * 1024, sku.Gpus);
                    for (var rack = 0; rack < group.Racks; rack++)
                    {
                        var rackId = $"{z.Id}-r{++rackNo:000}";
                        for (var slot = 1; slot <= group.ServersPerRack; slot++)
                        {
                            servers.Add(new ServerSpec($"{rackId}-s{slot:00}", z.Id, r.Id, z.Datacentre, rackId, sku.Id, sku.GpuModel, capacity));
                        }
                    }
                }
                if (servers.Count == 0) Fail($"zone '{z.Id}' has no servers");
                zones.Add(new ZoneSpec(z.Id, r.Id, z.Datacentre, servers));
            }
            if (zones.Count == 0) Fail($"region '{r.Id}' has no zones");
            regions.Add(new RegionSpec(r.Id, string.IsNullOrEmpty(r.DisplayName) ? r.Id : r.DisplayName, role, r.OpsCentre, zones));
        }
        return new PlatformTopology(regions);
    }
}
