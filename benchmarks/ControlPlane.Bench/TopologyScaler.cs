using System.Text.Json;
using ControlPlane.Domain.Topology;

namespace ControlPlane.Bench;

/// <summary>
/// A topology of the same shape as another (its ops centres, SKUs, regions, zones and each zone's mix
/// of SKUs) with another number of servers: every rack group is scaled by the same factor, rounded
/// by largest remainder so that the total is exact. A group that no longer fills whole racks gets
/// its partial rack as a second group of the same SKU.
/// </summary>
public static class TopologyScaler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static TopologyDocument Read(string path) =>
        JsonSerializer.Deserialize<TopologyDocument>(File.ReadAllText(path), Json) ?? throw new BenchException($"topology file '{path}' is empty");

    public static void Write(TopologyDocument doc, string path) => File.WriteAllText(path, JsonSerializer.Serialize(doc, Json));

    public static int ServerCount(TopologyDocument doc) =>
        doc.Regions.SelectMany(r => r.Zones).SelectMany(z => z.Racks).Sum(g => g.Racks * g.ServersPerRack);

    public static TopologyDocument Scale(TopologyDocument source, int servers)
    {
        var groups = source.Regions.SelectMany(r => r.Zones).SelectMany(z => z.Racks).ToList();
        var total = ServerCount(source);
        if (total == 0) throw new BenchException("the source topology has no servers");
        var zones = source.Regions.Sum(r => r.Zones.Count);
        if (servers < zones) throw new BenchException($"{servers} servers cannot fill {zones} zones");

        // Largest remainder: each group's exact share rounded down, the rest to the largest fractions.
        var exact = groups.Select(g => (double)g.Racks * g.ServersPerRack * servers / total).ToList();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToList();
        foreach (var i in Enumerable.Range(0, groups.Count).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(servers - counts.Sum()))
        {
            counts[i]++;
        }

        var next = 0;
        var scaled = new TopologyDocument { OpsCentres = source.OpsCentres, Skus = source.Skus };
        foreach (var region in source.Regions)
        {
            var zoneDocs = new List<ZoneDocument>();
            foreach (var zone in region.Zones)
            {
                var racks = new List<RackGroupDocument>();
                foreach (var group in zone.Racks)
                {
                    var count = counts[next++];
                    if (count >= group.ServersPerRack)
                    {
                        racks.Add(new RackGroupDocument { Sku = group.Sku, Racks = count / group.ServersPerRack, ServersPerRack = group.ServersPerRack });
                    }
                    if (count % group.ServersPerRack > 0)
                    {
                        racks.Add(new RackGroupDocument { Sku = group.Sku, Racks = 1, ServersPerRack = count % group.ServersPerRack });
                    }
                }
                if (racks.Count == 0) throw new BenchException($"{servers} servers leave zone '{zone.Id}' empty; ask for more servers");
                zoneDocs.Add(new ZoneDocument { Id = zone.Id, Datacentre = zone.Datacentre, Racks = racks });
            }
            scaled.Regions.Add(new RegionDocument
            {
                Id = region.Id, DisplayName = region.DisplayName, Role = region.Role, OpsCentre = region.OpsCentre, Zones = zoneDocs,
            });
        }
        return scaled;
    }
}
