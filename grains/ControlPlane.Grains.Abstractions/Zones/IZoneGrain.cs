using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Zones;

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

    /// <summary>The server a placement would try now, from the zone's index, reserving nothing (a dry run); NO_CAPACITY otherwise.</summary>
    Task<Placement> CheckPlacementAsync(PlacementRequest request);

    /// <summary>Where the zone holds an instance, or null.</summary>
    Task<Placement?> FindAsync(string instanceId);
    Task ReleaseAsync(string serverId, string instanceId);

    /// <summary>
    /// A server changed outside a placement (lifecycle, agent reachability, an allocation released by
    /// reconciliation): the zone asks it for its usage. One-way, so a server never waits on its zone;
    /// the zone reads the usage itself, so a late notice can never bring back an old picture.
    /// </summary>
    [OneWay]
    Task ServerChangedAsync(string serverId);

    /// <summary>
    /// Asked by a server whose agent has been silent for FailAfter: whether it may be declared failed,
    /// or its silence is one of too many in the zone at once (a network or fleet outage presumed).
    /// Interleaved, and answered without waiting on anything, so a server asking never deadlocks with
    /// a placement that waits on that server.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> MayFailBySilenceAsync(string serverId);

    Task<Page<ServerSummary>> ListServersAsync(int pageSize, string? pageToken);

    /// <summary>The instances the zone's servers hold (disaster-recovery reservations left out).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<string>> ListInstanceIdsAsync();

    /// <summary>The zone was retired and removed: stops its reconcile reminder and deactivates.</summary>
    Task ForgetAsync();
}
