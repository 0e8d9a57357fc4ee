using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Zones;

namespace ControlPlane.Grains.Abstractions.Topology;

/// <summary>The platform's topology as a whole (key <see cref="Key"/>): regions, zones and sizes.</summary>
public interface ITopologyGrain : IGrainWithStringKey
{
    const string Key = "platform";

    Task<ImmutableArray<RegionInfo>> ListRegionsAsync();
    Task<ImmutableArray<ZoneInfo>> ListZonesAsync(string region);
    Task<ImmutableArray<InstanceSize>> ListSizesAsync();

    /// <summary>The servers of a zone, or NotFound for an unknown zone.</summary>
    Task<Page<ServerSummary>> ListServersAsync(string zone, int pageSize, string? pageToken);
}
