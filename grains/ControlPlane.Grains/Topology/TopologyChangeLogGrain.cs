using System.Collections.Immutable;
using ControlPlane.Domain.Servers;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Topology;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Grains.Topology;

/// <summary>
/// The append-only topology change log and its one writer. A change is checked against the current
/// topology, persisted, then applied on this silo at once; the others follow through
/// <see cref="TopologySync"/>. A retiring zone is cordoned, drained, and removed once its servers are empty.
/// </summary>
public sealed partial class TopologyChangeLogGrain(
    PlatformTopology topology,
    TimeProvider clock,
    ILogger<TopologyChangeLogGrain> logger,
    [PersistentState("topologychanges", StorageNames.State)] IPersistentState<TopologyChangeLogState> state) : Grain, ITopologyChangeLogGrain
{
    /// <summary>The actor recorded for what the control plane does by itself (removing a drained zone).</summary>
    public const string SystemActor = "control-plane";
    private static readonly TimeSpan RetirementPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How many changes are persisted, so an interleaved read never sees one still being written.</summary>
    private int _published;
    private readonly HashSet<string> _drainStarted = new(StringComparer.Ordinal);
    private IGrainTimer? _retirements;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _published = state.State.Changes.Count;
        topology.CatchUp(state.State.Changes);
        FollowRetirements();
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<TopologyChange>> ListAsync(long afterVersion) =>
        Task.FromResult<ImmutableArray<TopologyChange>>([.. state.State.Changes.Take(_published).Skip((int)Math.Clamp(afterVersion, 0, _published))]);

    public Task<long> GetVersionAsync() => Task.FromResult((long)_published);

    public async Task<TopologyChange> AddZoneAsync(AddZoneCommand command, ChangeAuthor author)
    {
        await AdministerAsync(command.Region);
        return await RecordAsync(new TopologyChange(0, default, TopologyChangeKind.AddZone, author.Actor, author.Reason, command.Region,
            command.Zone, command.Datacentre, command.Racks.IsDefault ? [] : command.Racks));
    }

    public async Task<TopologyChange> SetRegionRoleAsync(string region, RegionRole role, ChangeAuthor author)
    {
        await AdministerAsync(region);
        return await RecordAsync(new TopologyChange(0, default, TopologyChangeKind.SetRegionRole, author.Actor, author.Reason, region, Role: role));
    }

    /// <summary>An operator of the region, from its piloting centre; an unknown region is left to the change's own checks.</summary>
    private Task AdministerAsync(string region) =>
        topology.FindRegion(region) is null ? Task.CompletedTask : Guard.AdministerAsync(GrainFactory, topology, region);

    public async Task<TopologyChange> RetireZoneAsync(string zone, ChangeAuthor author)
    {
        var region = topology.FindZone(zone)?.Region ?? "";
        await AdministerAsync(region);
        if (topology.FindZone(zone) is { State: ZoneState.Retiring })
        {
            return state.State.Changes.Last(c => c.Kind == TopologyChangeKind.RetireZone && c.Zone == zone);
        }
        var approval = region.Length == 0 ? null : await Guard.FourEyesAsync(GrainFactory, ApprovalAction.RetireZone, zone);
        var change = await RecordAsync(new TopologyChange(0, default, TopologyChangeKind.RetireZone, author.Actor, author.Reason, region, zone));
        await Guard.CompleteAsync(GrainFactory, approval);
        FollowRetirements();
        return change;
    }

    private async Task<TopologyChange> RecordAsync(TopologyChange draft)
    {
        if (topology.CatchUp(state.State.Changes) != state.State.Changes.Count)
        {
            throw DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable, "the topology change log cannot be replayed on this silo; retry").ToException();
        }
        var current = topology.Current;
        var change = draft with { Version = current.Version + 1, At = clock.GetUtcNow() };
        TopologyChangeRules.Check(current, change);
        state.State.Changes.Add(change);
        try
        {
            await state.PersistAsync(this);
        }
        catch
        {
            state.State.Changes.RemoveAt(state.State.Changes.Count - 1);
            throw;
        }
        _published = state.State.Changes.Count;
        topology.CatchUp([change]);
        LogChange(logger, change.Version, change.Kind, change.Region, change.Zone, change.Actor, change.Reason);
        return change;
    }

    private void FollowRetirements()
    {
        if (_retirements is null && topology.Regions.Any(r => r.Zones.Any(z => z.State == ZoneState.Retiring)))
        {
            _retirements = this.RegisterGrainTimer(ProgressRetirementsAsync,
                new GrainTimerCreationOptions(RetirementPeriod, RetirementPeriod) { KeepAlive = true });
        }
    }

    /// <summary>One step of every retirement: cordon all the zone's servers, then drain them; remove the zone once they are empty.</summary>
    private async Task ProgressRetirementsAsync()
    {
        using var system = CallerContext.AsSystem("zone-retirement");
        var retiring = topology.Regions.SelectMany(r => r.Zones).Where(z => z.State == ZoneState.Retiring).ToList();
        foreach (var zone in retiring)
        {
            var servers = zone.Servers.Select(s => GrainFactory.GetGrain<IServerGrain>(s.Id)).ToList();
            if (_drainStarted.Add(zone.Id))
            {
                // All cordoned before any drains, so that no instance moves to a neighbour that leaves too.
                await Task.WhenAll(servers.Select(s => IgnoreConflictAsync(s.CordonAsync())));
                await Task.WhenAll(servers.Select(s => IgnoreConflictAsync(s.DrainAsync())));
            }
            var usages = await Task.WhenAll(servers.Select(s => s.GetUsageAsync()));
            if (usages.All(u => u.InstanceIds.IsEmpty && u.Lifecycle is ServerLifecycle.Drained or ServerLifecycle.Decommissioned or ServerLifecycle.Failed)
                && state.State.Changes.LastOrDefault(c => c.Kind == TopologyChangeKind.RetireZone && c.Zone == zone.Id) is { } retire)
            {
                await RecordAsync(new TopologyChange(0, default, TopologyChangeKind.RemoveZone, SystemActor,
                    $"zone drained; retirement asked by {retire.Actor} (version {retire.Version})", zone.Region, zone.Id));
                await GrainFactory.GetGrain<IZoneGrain>(zone.Id).ForgetAsync();
                _drainStarted.Remove(zone.Id);
            }
        }
        if (retiring.Count == 0 || topology.Regions.All(r => r.Zones.All(z => z.State != ZoneState.Retiring)))
        {
            _retirements?.Dispose();
            _retirements = null;
        }
    }

    /// <summary>A failed or decommissioned server cannot be cordoned or drained, and need not be.</summary>
    private static async Task IgnoreConflictAsync(Task<ServerDetails> action)
    {
        try
        {
            await action;
        }
        catch (ControlPlaneException e) when (e.Error.Reason == ErrorReasons.ServerStateConflict)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topology change {Version}: {Kind} region {Region} zone {Zone} by {Actor}: {Reason}")]
    private static partial void LogChange(ILogger logger, long version, TopologyChangeKind kind, string region, string zone, string actor, string reason);
}
