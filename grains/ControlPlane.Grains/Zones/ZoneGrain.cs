using System.Collections.Immutable;
using System.Diagnostics;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Servers;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Affinity;
using ControlPlane.Grains.Servers;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using ControlPlane.Grains.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Zones;

/// <summary>
/// A zone and its capacity index. Placements in a zone run one at a time (the grain is not
/// reentrant), so the index never hands the same free capacity to two requests; the server
/// grain still has the last word, and a refusal is learnt and retried on another server.
/// The zone also paces reconciliation: every pass it asks the servers that need attention, and a
/// share of the busy ones in turn, to reconcile with their agents.
/// </summary>
[OpsCentreAffinity]
public sealed partial class ZoneGrain(
    PlatformTopology topology,
    TopologySync sync,
    ILocalSiloDetails silo,
    PlacementGuard guard,
    ZoneCapacityMetrics metrics,
    TimeProvider clock,
    ILogger<ZoneGrain> logger,
    IOptions<ReconcileOptions> reconcile,
    IGrainStateBatchReader storedStates) : Grain, IZoneGrain, IRemindable
{
    private const int MaxAttempts = PlacementLimits.MaxAttempts;
    private const string KeepAliveReminder = "reconcile";

    private ZoneSpec _zone = null!;
    private CapacityIndex _index = null!;
    private readonly AntiAffinityIndex _antiAffinity = new();
    private readonly Dictionary<string, ServerUsage> _attention = new(StringComparer.Ordinal);
    private int _cursor;
    private SilentFailureBudget _silentFailures = null!;

    /// <summary>How many times the zone learnt a server's usage, and at which count it last learnt each one.</summary>
    private long _learnings;
    private readonly Dictionary<string, long> _learntAt = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        using var system = CallerContext.AsSystem("zone-activation");
        if (await sync.FindZoneAsync(this.GetPrimaryKeyString()) is not { } zone)
        {
            // A retired zone's reminder may still wake it (its ForgetAsync was lost): stop it for good.
            if (sync.IsRetired(this.GetPrimaryKeyString()) && await this.GetReminder(KeepAliveReminder) is { } stale) await this.UnregisterReminder(stale);
            throw Failures.ZoneNotFound(this.GetPrimaryKeyString());
        }
        _zone = zone;
        _index = new CapacityIndex(_zone.Servers);
        _silentFailures = new SilentFailureBudget(reconcile.Value.SilentFailureLimit, reconcile.Value.SilentFailureShare,
            reconcile.Value.SilentFailureWindow, settle: reconcile.Value.FailAfter);
        this.RegisterGrainTimer(ReturnToPilotAsync, PlacementGuard.CheckPeriod, PlacementGuard.CheckPeriod);
        this.RegisterGrainTimer(SweepAsync, reconcile.Value.Period, reconcile.Value.Period);
        // The reminder only brings the zone back after a crash, so that reconciliation never stops.
        await this.RegisterOrUpdateReminder(KeepAliveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        // The server grains are the authority. Where the storage reads their states in one go, the zone starts from
        // what they stored (as each would read it at its activation) and answers at once; the answers of the servers
        // whose grains are active follow behind, since only those can know more than storage (an agent found
        // unreachable). Otherwise it waits for every server's answer (2,500 activations for a zone of this platform).
        if (await StoredUsagesAsync() is { } stored)
        {
            foreach (var (serverId, usage) in stored) Learn(serverId, usage);
            _ = LearnFromActiveServersAsync();
        }
        else
        {
            await LearnFromServersAsync();
        }
    }

    /// <summary>What each server's stored state says, read in one go; null when the storage cannot (or failed to).</summary>
    private async Task<List<(string ServerId, ServerUsage Usage)>?> StoredUsagesAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var servers = _index.Servers.ToDictionary(s => GrainFactory.GetGrain<IServerGrain>(s.Id).GetGrainId());
        try
        {
            if (await storedStates.ReadAsync<ServerState>(ServerState.Name, servers.Keys) is not { } stored) return null;
            var usages = servers.Select(s => (s.Value.Id, (stored.GetValueOrDefault(s.Key) ?? new ServerState()).UsageOn(s.Value, agentReachable: true))).ToList();
            LogLoadedFromStorage(logger, _zone.Id, servers.Count, stored.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return usages;
        }
        catch (Exception e)
        {
            LogBatchReadFailed(logger, e, _zone.Id);
            return null;
        }
    }

    /// <summary>
    /// The answers of the servers whose grains are active somewhere in the cluster. A server grain activated just to be
    /// asked would only read back what the zone has just read from storage, its agent taken as reachable: after a silo
    /// died, that was thousands of activations and reads competing with its restart.
    /// </summary>
    private async Task LearnFromActiveServersAsync()
    {
        if (_index.Servers.Count == 0) return;
        List<GrainId> active;
        try
        {
            var serverType = GrainFactory.GetGrain<IServerGrain>(_index.Servers[0].Id).GetGrainId().Type;
            active = await GrainFactory.GetGrain<IManagementGrain>(0).GetActiveGrains(serverType);
        }
        catch (Exception e)
        {
            LogActiveServersUnknown(logger, e, _zone.Id);
            return;
        }
        var activeIds = active.Select(g => g.Key.ToString()).ToHashSet(StringComparer.Ordinal);
        await LearnFromServersAsync([.. _index.Servers.Where(s => activeIds.Contains(s.Id))]);
    }

    /// <summary>
    /// The servers' own answers (every server's when <paramref name="servers"/> is null). An answer is dropped for a server
    /// the zone learnt about after the questions went (a placement's reservation, a release, a change it was told of):
    /// what it learnt then is at least as recent.
    /// </summary>
    private async Task LearnFromServersAsync(IReadOnlyList<ServerSpec>? servers = null)
    {
        servers ??= _index.Servers;
        var asked = _learnings;
        try
        {
            var usages = await Task.WhenAll(servers.Select(s => GrainFactory.GetGrain<IServerGrain>(s.Id).GetUsageAsync()));
            for (var i = 0; i < usages.Length; i++)
            {
                var serverId = servers[i].Id;
                if (_learntAt.GetValueOrDefault(serverId) <= asked) Learn(serverId, usages[i]);
            }
        }
        catch (Exception e) when (asked > 0)
        {
            // Behind a zone that already answers from storage: a server that did not answer tells the zone at its next change.
            LogServersUnanswered(logger, e, _zone.Id);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(_zone.Id);
        return Task.CompletedTask;
    }

    private Task ReturnToPilotAsync()
    {
        if (guard.IsMisplaced(_zone.Id)) this.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    /// <summary>One reconcile pass: servers that need attention, then busy servers in turn. Never waits on them.</summary>
    private Task SweepAsync()
    {
        using var system = CallerContext.AsSystem("zone-reconcile");
        if (_silentFailures.Withholding && _silentFailures.Observe(SilentServers(), _index.Count, clock.GetUtcNow()))
        {
            LogSilenceWithinLimit(logger, _zone.Id, SilentServers(), reconcile.Value.FailAfter);
        }
        foreach (var serverId in _attention.Keys) GrainFactory.GetGrain<IServerGrain>(serverId).ReconcileAsync().Ignore();
        var budget = reconcile.Value.ServersPerPass;
        for (var visited = 0; visited < _index.Count && budget > 0; visited++)
        {
            _cursor = (_cursor + 1) % _index.Count;
            var (server, _, instanceCount) = _index.At(_cursor);
            if (instanceCount == 0 || _attention.ContainsKey(server.Id)) continue;
            GrainFactory.GetGrain<IServerGrain>(server.Id).ReconcileAsync().Ignore();
            budget--;
        }
        return Task.CompletedTask;
    }

    public async Task ServerChangedAsync(string serverId)
    {
        if (!_index.Contains(serverId)) throw Failures.ServerNotFound(serverId);
        Learn(serverId, await GrainFactory.GetGrain<IServerGrain>(serverId).GetUsageAsync());
    }

    public Task<bool> MayFailBySilenceAsync(string serverId)
    {
        if (!_index.Contains(serverId)) throw Failures.ServerNotFound(serverId);
        var silent = SilentServers(serverId);
        var withholding = _silentFailures.Withholding;
        if (_silentFailures.TryGrant(silent, _index.Count, clock.GetUtcNow())) return Task.FromResult(true);
        if (!withholding && _silentFailures.Withholding)
        {
            ControlPlaneTelemetry.ReconcileActions.Add(1, new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Action, "correlated_silence"));
            LogCorrelatedSilence(logger, _zone.Id, silent, _silentFailures.GrantedWithin(clock.GetUtcNow()),
                _silentFailures.LimitFor(_index.Count), _silentFailures.Window);
        }
        return Task.FromResult(false);
    }

    /// <summary>In-service servers whose agent is silent, as last reported (the asking server counted, reported or not).</summary>
    private int SilentServers(string? asking = null) =>
        _attention.Count(a => !a.Value.AgentReachable && a.Value.Lifecycle is not (ServerLifecycle.Failed or ServerLifecycle.Decommissioned) && a.Key != asking)
        + (asking is null ? 0 : 1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone {ZoneId}: {Silent} servers' agents are silent at once ({Granted} failed by silence recently, limit {Limit} per {Window}); " +
        "a network or agent-fleet outage is presumed: the servers stay ACTIVE and unreachable, nothing is evacuated, until their agents answer or an operator marks them failed")]
    private static partial void LogCorrelatedSilence(ILogger logger, string zoneId, int silent, int granted, int limit, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Information, Message = "Zone {ZoneId}: {Servers} servers learnt from storage in one read ({Stored} stored states) in {Ms:0} ms")]
    private static partial void LogLoadedFromStorage(ILogger logger, string zoneId, int servers, int stored, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone {ZoneId}: the servers' states could not be read in one go; asking each server")]
    private static partial void LogBatchReadFailed(ILogger logger, Exception exception, string zoneId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone {ZoneId}: the cluster did not say which servers are active; the zone goes on from their stored states, each server tells it of its next change")]
    private static partial void LogActiveServersUnknown(ILogger logger, Exception exception, string zoneId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone {ZoneId}: some servers did not answer after the zone started from their stored states")]
    private static partial void LogServersUnanswered(ILogger logger, Exception exception, string zoneId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Zone {ZoneId}: the agents' silence is within the limit again ({Silent} silent); failures by silence resume after {Settle}")]
    private static partial void LogSilenceWithinLimit(ILogger logger, string zoneId, int silent, TimeSpan settle);

    public Task<ZoneInfo> GetAsync() => Task.FromResult(
        new ZoneInfo(_zone.Id, _zone.Region, _zone.Datacentre, _index.Total, _index.Free, _index.Count, _index.InstanceCount,
            silo.Name, guard.LocalOpsCentre, TopologySync.StateOf(topology, _zone.Id)));

    public async Task ForgetAsync()
    {
        if (await this.GetReminder(KeepAliveReminder) is { } reminder) await this.UnregisterReminder(reminder);
        this.DeactivateOnIdle();
    }

    public Task<Placement?> FindAsync(string instanceId) =>
        Task.FromResult(_index.ServerOf(instanceId) is { } serverId ? new Placement(_zone.Id, serverId) : null);

    public async Task<Placement> PlaceAsync(PlacementRequest request)
    {
        if (_index.ServerOf(request.InstanceId) is { } held && held != request.AvoidServerId) return new Placement(_zone.Id, held);

        using var span = ControlPlaneTelemetry.Source.StartActivity("placement.zone");
        span?.SetTag(ControlPlaneTelemetry.Tags.Zone, _zone.Id);
        span?.SetTag(ControlPlaneTelemetry.Tags.Tenant, request.TenantId);
        span?.SetTag(ControlPlaneTelemetry.Tags.Instance, request.InstanceId);
        span?.SetTag(ControlPlaneTelemetry.Tags.Size, request.Size);
        var refused = Refused(request, span);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var serverId = Candidate(request, refused, attempt);
            if (serverId is null) break;

            var server = GrainFactory.GetGrain<IServerGrain>(serverId);
            var usage = await server.TryReserveAsync(
                new ServerAllocation(request.InstanceId, request.TenantId, request.Size, request.Resources, request.GpuModel)
                {
                    AntiAffinityGroup = request.Reservation ? "" : request.AntiAffinityGroup,
                    IsReservation = request.Reservation,
                });
            if (usage is not null)
            {
                Learn(serverId, usage);
                span?.SetTag(ControlPlaneTelemetry.Tags.Server, serverId);
                span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "placed");
                return new Placement(_zone.Id, serverId);
            }
            // The index was stale for this server: learn its real usage and try another.
            ControlPlaneTelemetry.PlacementConflicts.Add(1, new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Zone, _zone.Id));
            span?.AddEvent(new ActivityEvent("placement.conflict", tags: new ActivityTagsCollection { [ControlPlaneTelemetry.Tags.Server] = serverId }));
            Learn(serverId, await server.GetUsageAsync());
            (refused ??= new HashSet<string>(StringComparer.Ordinal)).Add(serverId);
        }
        ControlPlaneTelemetry.PlacementRejections.Add(1, new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Zone, _zone.Id));
        span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "no_capacity");
        span?.SetStatus(ActivityStatusCode.Error, "no capacity");
        throw NoCapacity(request);
    }

    /// <summary>
    /// The server <see cref="PlaceAsync"/> would try first, from the zone's index, reserving nothing (a dry run). The
    /// server grain keeps the last word on a real placement: an index a moment stale may send that one elsewhere.
    /// </summary>
    public Task<Placement> CheckPlacementAsync(PlacementRequest request)
    {
        if (_index.ServerOf(request.InstanceId) is { } held && held != request.AvoidServerId) return Task.FromResult(new Placement(_zone.Id, held));
        return Candidate(request, Refused(request, null), attempt: 0) is { } serverId
            ? Task.FromResult(new Placement(_zone.Id, serverId))
            : throw NoCapacity(request);
    }

    /// <summary>
    /// Servers never proposed: those that take no new instances, the one a moving instance leaves, and those holding
    /// another member of the instance's anti-affinity group (null: none). Throws when the group keeps the whole zone out.
    /// </summary>
    private HashSet<string>? Refused(PlacementRequest request, Activity? span)
    {
        if (request.AntiAffinityZones && _antiAffinity.HasOtherMember(request.AntiAffinityGroup, request.InstanceId))
        {
            span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "anti_affinity");
            throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity,
                $"zone '{_zone.Id}' already holds an instance of anti-affinity group '{GroupName(request.AntiAffinityGroup)}' (zone scope)",
                (ErrorMetadata.Zone, _zone.Id), (ErrorMetadata.Size, request.Size), (ErrorMetadata.AntiAffinityGroup, GroupName(request.AntiAffinityGroup))).ToException();
        }
        HashSet<string>? refused = _attention.Count > 0 || request.AvoidServerId.Length > 0 || request.AntiAffinityGroup.Length > 0
            ? new HashSet<string>(_attention.Keys, StringComparer.Ordinal) { request.AvoidServerId }
            : null;
        if (request.AntiAffinityGroup.Length > 0)
        {
            refused!.UnionWith(_antiAffinity.ServersOfOtherMembers(request.AntiAffinityGroup, request.InstanceId));
        }
        return refused;
    }

    /// <summary>The server to try: the preferred one first (when it may take the instance), then the index's choice; null when none has room.</summary>
    private string? Candidate(PlacementRequest request, HashSet<string>? refused, int attempt)
    {
        var preferred = attempt == 0 && _index.Contains(request.PreferServerId) && refused?.Contains(request.PreferServerId) != true;
        return preferred ? request.PreferServerId : _index.Choose(request.Resources, request.GpuModel, refused);
    }

    private ControlPlaneException NoCapacity(PlacementRequest request) =>
        DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity,
            $"no server in zone '{_zone.Id}' has {request.Resources} free" + (request.GpuModel.Length > 0 ? $" with {request.GpuModel} GPUs" : "")
                + (request.AntiAffinityGroup.Length > 0 ? $" apart from the members of anti-affinity group '{GroupName(request.AntiAffinityGroup)}'" : ""),
            [(ErrorMetadata.Zone, _zone.Id), (ErrorMetadata.Size, request.Size), (ErrorMetadata.ZoneFree, _index.Free.ToString()),
            .. ErrorMetadata.Amount(ErrorMetadata.Requested, request.Resources), .. ErrorMetadata.Amount(ErrorMetadata.Available, _index.Free)]).ToException();

    private void Learn(string serverId, ServerUsage usage)
    {
        _learntAt[serverId] = ++_learnings;
        _index.Update(serverId, usage.Free, usage.InstanceIds);
        _antiAffinity.Update(serverId, usage.Groups);
        if (usage.NeedsAttention) _attention[serverId] = usage; else _attention.Remove(serverId);
        metrics.Report(_zone.Id, _index.Free);
    }

    /// <summary>The group's name as its tenant knows it (the key is "tenant/group").</summary>
    private static string GroupName(string key) => key[(key.IndexOf('/') + 1)..];

    public async Task ReleaseAsync(string serverId, string instanceId)
    {
        if (!_index.Contains(serverId)) throw Failures.ServerNotFound(serverId);
        Learn(serverId, await GrainFactory.GetGrain<IServerGrain>(serverId).ReleaseAsync(instanceId));
    }

    public Task<ImmutableArray<string>> ListInstanceIdsAsync() =>
        Task.FromResult<ImmutableArray<string>>([.. _index.InstanceIds.Where(id => !id.StartsWith(ServerAllocation.ReservationId(""), StringComparison.Ordinal))]);

    public Task<Page<ServerSummary>> ListServersAsync(int pageSize, string? pageToken)
    {
        var summaries = Enumerable.Range(0, _index.Count).Select(i =>
        {
            var (server, free, instanceCount) = _index.At(i);
            var summary = new ServerSummary(server.Id, server.Zone, server.Sku, server.GpuModel, server.Capacity, free, instanceCount);
            return _attention.TryGetValue(summary.Id, out var usage) ? summary with { Lifecycle = usage.Lifecycle, AgentReachable = usage.AgentReachable } : summary;
        }).ToList();
        return Task.FromResult(PageToken.Slice(summaries, s => s.Id, pageSize, pageToken));
    }
}
