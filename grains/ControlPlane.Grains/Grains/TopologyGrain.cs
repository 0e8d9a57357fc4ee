using Orleans.Concurrency;
using System.Collections.Immutable;
using ControlPlane.Model;
using ControlPlane.Topology;

namespace ControlPlane.Grains;

/// <summary>Read-only views over the topology; stateless, so every silo answers locally.</summary>
[StatelessWorker]
public sealed class TopologyGrain(PlatformTopology topology, SizeCatalog sizes) : Grain, ITopologyGrain
{
    public async Task<ImmutableArray<RegionInfo>> ListRegionsAsync()
    {
        var zones = (await ListZonesAsync("")).ToLookup(z => z.Region);
        return [.. topology.Regions.Select(r => new RegionInfo(
            r.Id, r.DisplayName, r.Role, r.OpsCentre, [.. r.Zones.Select(z => z.Id)],
            zones[r.Id].Aggregate(ResourceAmount.Zero, (sum, z) => sum + z.Total),
            zones[r.Id].Aggregate(ResourceAmount.Zero, (sum, z) => sum + z.Free),
            zones[r.Id].Sum(z => z.ServerCount)))];
    }

    public async Task<ImmutableArray<ZoneInfo>> ListZonesAsync(string region)
    {
        IEnumerable<RegionSpec> regions = topology.Regions;
        if (region.Length > 0)
        {
            regions = [topology.FindRegion(region) ?? throw Failures.UnknownRegion("region", region)];
        }
        var infos = await Task.WhenAll(regions.SelectMany(r => r.Zones)
            .Select(z => GrainFactory.GetGrain<IZoneGrain>(z.Id).GetAsync()));
        return [.. infos];
    }

    public Task<Page<ServerSummary>> ListServersAsync(string zone, int pageSize, string? pageToken)
    {
        if (topology.FindZone(zone) is null) throw Failures.ZoneNotFound(zone);
        return GrainFactory.GetGrain<IZoneGrain>(zone).ListServersAsync(pageSize, pageToken);
    }

    public Task<ImmutableArray<InstanceSize>> ListSizesAsync() => Task.FromResult<ImmutableArray<InstanceSize>>([.. sizes.All]);
}
