using Orleans.Concurrency;
using ControlPlane.Model;

namespace ControlPlane.Grains;

/// <summary>
/// An availability zone (key: zone id). Keeps the capacity index of its servers so that placement
/// does not call every server grain; only the server grain grants a reservation.
/// </summary>
public interface IZoneGrain : IGrainWithStringKey
{
    /// <summary>The zone's summary; answered between placements' steps, so it may lag one placement.</summary>
    [AlwaysInterleave]
    Task<ZoneInfo> GetAsync();
    /// <summary>Places an instance; placing an instance the zone already holds returns where it is.</summary>
    Task<Placement> PlaceAsync(PlacementRequest request);

    /// <summary>Where the zone holds an instance, or null.</summary>
    Task<Placement?> FindAsync(string instanceId);
    Task ReleaseAsync(string serverId, string instanceId);
    Task<Page<ServerSummary>> ListServersAsync(int pageSize, string? pageToken);
}
