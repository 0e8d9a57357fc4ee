using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.DisasterRecovery;

/// <summary>
/// A production region's disaster recovery (key: region id): which of its instances are protected,
/// the capacity reserved for them in the disaster-recovery region, and the failover and failback
/// that move them there and back.
/// </summary>
public interface IDisasterRecoveryGrain : IGrainWithStringKey
{
    /// <summary>Protects an instance of the region and reserves capacity for it (its absence is reported, not refused). Idempotent.</summary>
    Task<DrProtection> ProtectAsync(string instanceId);

    /// <summary>
    /// The checks of <see cref="ProtectAsync"/>, storing and reserving nothing (a dry run): the protection as it would be,
    /// its reservation where one would be placed now (or the problem that would be reported).
    /// </summary>
    [ReadOnly]
    Task<DrProtection> CheckProtectAsync(string instanceId);

    /// <summary>The checks of <see cref="UnprotectAsync"/> for an instance that still exists, changing nothing (a dry run).</summary>
    [ReadOnly]
    Task CheckUnprotectAsync(string instanceId);

    /// <summary>Ends an instance's protection and frees its reservation; <paramref name="deleted"/>: the instance is gone (allowed in any mode). Idempotent.</summary>
    Task UnprotectAsync(string instanceId, bool deleted);

    /// <summary>A server leaving service dropped the instance's reservation: reserve again.</summary>
    [OneWay]
    Task ReservationDroppedAsync(string instanceId, string serverId);

    Task<DrStatus> GetStatusAsync();

    /// <summary>Whether the region takes only recovery placements; answered at once, even while a call is in progress (a region grain activating asks it).</summary>
    [AlwaysInterleave]
    Task<bool> IsFailedOverAsync();

    /// <summary>Starts re-creating every protected instance in the disaster-recovery region; returns at once with the run's status.</summary>
    Task<DrStatus> FailoverAsync(string actor, string reason);

    /// <summary>Starts returning the failed-over instances to the region.</summary>
    Task<DrStatus> FailbackAsync(string actor, string reason);

    /// <summary>
    /// Dry runs: every check of <see cref="FailoverAsync"/> (a failover's four-eyes approval looked at, not used up) and
    /// <see cref="FailbackAsync"/>, starting nothing; the status as the run's start would leave it (its mode, the run with
    /// every protected instance still to move).
    /// </summary>
    [ReadOnly]
    Task<DrStatus> CheckFailoverAsync(string actor, string reason);

    [ReadOnly]
    Task<DrStatus> CheckFailbackAsync(string actor, string reason);
}
