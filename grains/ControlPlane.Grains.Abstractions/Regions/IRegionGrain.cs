using ControlPlane.Grains.Abstractions.Scheduling;

namespace ControlPlane.Grains.Abstractions.Regions;

/// <summary>A region (key: region id). Chooses a zone when the request names none.</summary>
public interface IRegionGrain : IGrainWithStringKey
{
    /// <summary>Places an instance in the region, in <see cref="PlacementRequest.Zone"/> when given.</summary>
    Task<Placement> PlaceAsync(PlacementRequest request);

    /// <summary>Where <see cref="PlaceAsync"/> would place the instance now, holding nothing (a dry run); its refusal otherwise.</summary>
    Task<Placement> CheckPlacementAsync(PlacementRequest request);

    /// <summary>Where an instance was placed in this region, or null (asks each zone, never the servers).</summary>
    Task<Placement?> FindAsync(string instanceId);

    /// <summary>While true, the region takes only recovery placements (it is failed over); set by its disaster-recovery grain.</summary>
    Task SetFailedOverAsync(bool failedOver);
}
