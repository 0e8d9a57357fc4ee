using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Topology;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Topology;

/// <summary>
/// Brings this silo's <see cref="PlatformTopology"/> up to the change log: periodically (see
/// <see cref="TopologyFollower"/>) and on a miss, before a caller is told that a zone or server
/// does not exist, so a zone added a moment ago through another silo is never reported missing.
/// </summary>
public sealed class TopologySync(PlatformTopology topology, IGrainFactory grains)
{
    /// <summary>How often every silo asks the change log for changes it has not applied.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    public async Task<long> RefreshAsync()
    {
        // Catching up is the platform's own work, whoever's call found the topology behind.
        using var system = CallerContext.AsSystem("topology-sync");
        var changes = await grains.GetGrain<ITopologyChangeLogGrain>(ITopologyChangeLogGrain.Key).ListAsync(topology.Version);
        return changes.IsDefaultOrEmpty ? topology.Version : topology.CatchUp(changes);
    }

    /// <summary>Refreshes when the region, or the zone when one is named, is unknown here.</summary>
    public async Task EnsureKnownAsync(string region, string zone = "")
    {
        if ((region.Length > 0 && topology.FindRegion(region) is null) || (zone.Length > 0 && topology.FindZone(zone) is null))
        {
            await RefreshAsync();
        }
    }

    public async Task<ZoneSpec?> FindZoneAsync(string zone)
    {
        if (topology.FindZone(zone) is { } found) return found;
        await RefreshAsync();
        return topology.FindZone(zone);
    }

    public async Task<ServerSpec?> FindServerAsync(string server)
    {
        if (topology.FindServer(server) is { } found) return found;
        await RefreshAsync();
        return topology.FindServer(server);
    }

    /// <summary>Whether a zone was removed by a retirement (as far as this silo knows).</summary>
    public bool IsRetired(string zone) => topology.Current.RetiredZones.Any(z => z.Id == zone);

    internal static ZoneState StateOf(PlatformTopology topology, string zone) => topology.FindZone(zone)?.State ?? ZoneState.Retired;
}
