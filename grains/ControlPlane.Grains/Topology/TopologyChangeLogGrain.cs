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

    public async Task<TopologyChange> AddZoneAsync(AddZoneCommand command, ChangeAuthor author) => await RecordAsync(await AddZoneDraftAsync(command, author));

    public async Task<TopologyChange> CheckAddZoneAsync(AddZoneCommand command, ChangeAuthor author) => Checked(await AddZoneDraftAsync(command, author));

    /// <summary>The caller's right on the region: throws the refusal, else the change to check and record.</summary>
    private async Task<TopologyChange> AddZoneDraftAsync(AddZoneCommand command, ChangeAuthor author)
    {
        await AdministerAsync(command.Region);
        return new TopologyChange(0, default, TopologyChangeKind.AddZone, author.Actor, author.Reason, command.Region,
            command.Zone, command.Datacentre, command.Racks.IsDefault ? [] : command.Racks);
    }

    public async Task<TopologyChange> SetRegionRoleAsync(string region, RegionRole role, ChangeAuthor author) =>
        await RecordAsync(await SetRegionRoleDraftAsync(region, role, author));

    public async Task<TopologyChange> CheckSetRegionRoleAsync(string region, RegionRole role, ChangeAuthor author) =>
        Checked(await SetRegionRoleDraftAsync(region, role, author));

    /// <summary>The caller's right on the region: throws the refusal, else the change to check and record.</summary>
    private async Task<TopologyChange> SetRegionRoleDraftAsync(string region, RegionRole role, ChangeAuthor author)
    {
        await AdministerAsync(region);
        return new TopologyChange(0, default, TopologyChangeKind.SetRegionRole, author.Actor, author.Reason, region, Role: role);
    }

    /// <summary>An operator of the region, from its piloting centre; an unknown region is left to the change's own checks.</summary>
    private Task AdministerAsync(string region) =>
        topology.FindRegion(region) is null ? Task.CompletedTask : Guard.AdministerAsync(GrainFactory, topology, region);

    public async Task<TopologyChange> RetireZoneAsync(string zone, ChangeAuthor author)
    {
        var (draft, isNew, approval) = await RetireZoneDraftAsync(zone, author, dryRun: false);
        if (!isNew) return draft;
        // Refused (the region's last zone) or not stored: the requester retries with the same approval. A write that did
        // commit leaves the zone retiring, and a retry then returns its change without using the approval again.
        var change = await Guard.ActWithApprovalAsync(GrainFactory, approval, () => RecordAsync(draft), giveBack: _ => true);
        FollowRetirements();
        return change;
    }

    public async Task<TopologyChange> CheckRetireZoneAsync(string zone, ChangeAuthor author)
    {
        var (draft, isNew, _) = await RetireZoneDraftAsync(zone, author, dryRun: true);
        return isNew ? Checked(draft) : draft;
    }

    /// <summary>
    /// The caller's right on the zone's region and its four-eyes approval (claimed; with <paramref name="dryRun"/> only looked
    /// at, left usable): throws the refusal; else the recorded RetireZone change of a zone already retiring (nothing to do),
    /// or the new change to check and record with the approval to mark used once it is.
    /// </summary>
    private async Task<(TopologyChange Change, bool IsNew, ApprovalInfo? Approval)> RetireZoneDraftAsync(string zone, ChangeAuthor author, bool dryRun)
    {
        var region = topology.FindZone(zone)?.Region ?? "";
        await AdministerAsync(region);
        if (topology.FindZone(zone) is { State: ZoneState.Retiring })
        {
            return (state.State.Changes.Last(c => c.Kind == TopologyChangeKind.RetireZone && c.Zone == zone), false, null);
        }
        var approval = region.Length == 0 ? null : await Guard.FourEyesAsync(GrainFactory, ApprovalAction.RetireZone, zone, claim: !dryRun);
        return (new TopologyChange(0, default, TopologyChangeKind.RetireZone, author.Actor, author.Reason, region, zone), true, approval);
    }

    private async Task<TopologyChange> RecordAsync(TopologyChange draft)
    {
        var change = Checked(draft);
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

    /// <summary>
    /// The change as it would be recorded next (the next version, now), checked against the current topology: throws the
    /// refusal. What a real change and its dry run share; it writes nothing.
    /// </summary>
    private TopologyChange Checked(TopologyChange draft)
    {
        if (topology.CatchUp(state.State.Changes) != state.State.Changes.Count)
        {
            throw DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable, "the topology change log cannot be replayed on this silo; retry").ToException();
        }
        var current = topology.Current;
        var change = draft with { Version = current.Version + 1, At = clock.GetUtcNow() };
        TopologyChangeRules.Check(current, change);
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
