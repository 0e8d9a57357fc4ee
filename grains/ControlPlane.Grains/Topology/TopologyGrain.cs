using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Topology;
using ControlPlane.Grains.Abstractions.Zones;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Topology;

/// <summary>Read-only views over the topology; stateless, so every silo answers locally.</summary>
[StatelessWorker]
public sealed class TopologyGrain(PlatformTopology topology, TopologySync sync, SizeCatalog sizes) : Grain, ITopologyGrain
{
    public async Task<ImmutableArray<RegionInfo>> ListRegionsAsync()
    {
        var zones = (await ListZonesAsync("")).ToLookup(z => z.Region);
        return [.. topology.Regions.Select(r => new RegionInfo(
            r.Id, r.DisplayName, r.Role, r.OpsCentre, [.. r.Zones.Select(z => z.Id)],
            zones[r.Id].Aggregate(ResourceAmount.Zero, (sum, z) => sum + z.Total),
            zones[r.Id].Aggregate(ResourceAmount.Zero, (sum, z) => sum + z.Free),
            zones[r.Id].Sum(z => z.ServerCount)) { Country = r.Country })];
    }

    public async Task<ImmutableArray<ZoneInfo>> ListZonesAsync(string region)
    {
        if (region.Length > 0) await sync.EnsureKnownAsync(region);
        // One snapshot for the zones and the retired ones: a retirement that ends while the zones answer would list its zone twice.
        var snapshot = topology.Current;
        IReadOnlyList<RegionSpec> regions = region.Length == 0 ? snapshot.Regions
            : [snapshot.FindRegion(region) ?? throw Failures.UnknownRegion("region", region)];
        var infos = await Task.WhenAll(regions.SelectMany(r => r.Zones)
            .Select(z => GrainFactory.GetGrain<IZoneGrain>(z.Id).GetAsync()));
        var regionIds = regions.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var retired = snapshot.RetiredZones.Where(z => regionIds.Contains(z.Region)).Select(z =>
            new ZoneInfo(z.Id, z.Region, z.Datacentre, ResourceAmount.Zero, ResourceAmount.Zero, 0, 0, State: ZoneState.Retired));
        return [.. infos, .. retired];
    }

    public async Task<Page<ServerSummary>> ListServersAsync(string zone, int pageSize, string? pageToken)
    {
        if (await sync.FindZoneAsync(zone) is null) throw Failures.ZoneNotFound(zone);
        return await GrainFactory.GetGrain<IZoneGrain>(zone).ListServersAsync(pageSize, pageToken);
    }

    public Task<ImmutableArray<InstanceSize>> ListSizesAsync() => Task.FromResult<ImmutableArray<InstanceSize>>([.. sizes.All]);
}
