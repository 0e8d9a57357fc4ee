using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Topology;

/// <summary>
/// The one writer of live topology changes (key <see cref="Key"/>): validates a change against the
/// current topology, appends it to the persisted log, applies it on its silo at once; other silos
/// catch up from <see cref="ListAsync"/>. It also carries zone retirements through to the end.
/// </summary>
public interface ITopologyChangeLogGrain : IGrainWithStringKey
{
    const string Key = "platform";

    Task<TopologyChange> AddZoneAsync(AddZoneCommand command, ChangeAuthor author);

    Task<TopologyChange> SetRegionRoleAsync(string region, RegionRole role, ChangeAuthor author);

    /// <summary>Starts retiring a zone (idempotent: a zone already retiring returns its RetireZone change).</summary>
    Task<TopologyChange> RetireZoneAsync(string zone, ChangeAuthor author);

    /// <summary>
    /// Dry runs: every check of <see cref="AddZoneAsync"/>, <see cref="SetRegionRoleAsync"/> and <see cref="RetireZoneAsync"/>
    /// (the caller's right, a retirement's four-eyes approval — not used up —, the change against the current topology),
    /// recording nothing; the change as it would be recorded (the next version), or a retiring zone's recorded RetireZone.
    /// </summary>
    [ReadOnly]
    Task<TopologyChange> CheckAddZoneAsync(AddZoneCommand command, ChangeAuthor author);

    [ReadOnly]
    Task<TopologyChange> CheckSetRegionRoleAsync(string region, RegionRole role, ChangeAuthor author);

    [ReadOnly]
    Task<TopologyChange> CheckRetireZoneAsync(string zone, ChangeAuthor author);

    /// <summary>The changes after <paramref name="afterVersion"/>, oldest first. Interleaves, so a silo catching up never waits on a retirement step.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<TopologyChange>> ListAsync(long afterVersion);

    /// <summary>The latest version recorded (0: no change since the seed).</summary>
    [AlwaysInterleave]
    Task<long> GetVersionAsync();
}
