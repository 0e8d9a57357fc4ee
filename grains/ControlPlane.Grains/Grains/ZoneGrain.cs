using System.Diagnostics;
using ControlPlane.Telemetry;
using ControlPlane.Affinity;
using ControlPlane.Errors;
using ControlPlane.Model;
using ControlPlane.Scheduling;
using ControlPlane.Topology;

namespace ControlPlane.Grains;

/// <summary>
/// A zone and its capacity index. Placements in a zone run one at a time (the grain is not
/// reentrant), so the index never hands the same free capacity to two requests; the server
/// grain still has the last word, and a refusal is learnt and retried on another server.
/// </summary>
[OpsCentreAffinity]
public sealed class ZoneGrain(PlatformTopology topology, ILocalSiloDetails silo, PlacementGuard guard, ZoneCapacityMetrics metrics) : Grain, IZoneGrain
{
    /// <summary>How many servers one placement asks before the zone answers NO_CAPACITY.</summary>
    public const int MaxAttempts = 8;

    private ZoneSpec _zone = null!;
    private CapacityIndex _index = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _zone = topology.FindZone(this.GetPrimaryKeyString()) ?? throw Failures.ZoneNotFound(this.GetPrimaryKeyString());
        _index = new CapacityIndex(_zone.Servers);
        this.RegisterGrainTimer(ReturnToPilotAsync, PlacementGuard.CheckPeriod, PlacementGuard.CheckPeriod);
        // The server grains are the authority: learn what they hold (once, at activation).
        var usages = await Task.WhenAll(_index.Servers.Select(s => GrainFactory.GetGrain<IServerGrain>(s.Id).GetUsageAsync()));
        for (var i = 0; i < usages.Length; i++)
        {
            _index.Update(_index.Servers[i].Id, usages[i]);
        }
        metrics.Report(_zone.Id, _index.Free);
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

    public Task<ZoneInfo> GetAsync() => Task.FromResult(
        new ZoneInfo(_zone.Id, _zone.Region, _zone.Datacentre, _index.Total, _index.Free, _index.Count, _index.InstanceCount,
            silo.Name, guard.LocalOpsCentre));

    public Task<Placement?> FindAsync(string instanceId) =>
        Task.FromResult(_index.ServerOf(instanceId) is { } serverId ? new Placement(_zone.Id, serverId) : null);

    public async Task<Placement> PlaceAsync(PlacementRequest request)
    {
        if (_index.ServerOf(request.InstanceId) is { } held) return new Placement(_zone.Id, held);

        using var span = ControlPlaneTelemetry.Source.StartActivity("placement.zone");
        span?.SetTag(ControlPlaneTelemetry.Tags.Zone, _zone.Id);
        span?.SetTag(ControlPlaneTelemetry.Tags.Tenant, request.TenantId);
        span?.SetTag(ControlPlaneTelemetry.Tags.Instance, request.InstanceId);
        span?.SetTag(ControlPlaneTelemetry.Tags.Size, request.Size);
        HashSet<string>? refused = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var serverId = _index.Choose(request.Resources, request.GpuModel, refused);
            if (serverId is null) break;

            var server = GrainFactory.GetGrain<IServerGrain>(serverId);
            var usage = await server.TryReserveAsync(
                new ServerAllocation(request.InstanceId, request.TenantId, request.Size, request.Resources, request.GpuModel));
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
        throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity,
            $"no server in zone '{_zone.Id}' has {request.Resources} free" + (request.GpuModel.Length > 0 ? $" with {request.GpuModel} GPUs" : ""),
            ("zone", _zone.Id), ("size", request.Size), ("zone_free", _index.Free.ToString())).ToException();
    }

    private void Learn(string serverId, ServerUsage usage)
    {
        _index.Update(serverId, usage);
        metrics.Report(_zone.Id, _index.Free);
    }

    public async Task ReleaseAsync(string serverId, string instanceId)
    {
        if (!_index.Contains(serverId)) throw Failures.ServerNotFound(serverId);
        Learn(serverId, await GrainFactory.GetGrain<IServerGrain>(serverId).ReleaseAsync(instanceId));
    }

    public Task<Page<ServerSummary>> ListServersAsync(int pageSize, string? pageToken)
    {
        var summaries = Enumerable.Range(0, _index.Count).Select(_index.Summary).ToList();
        return Task.FromResult(PageToken.Slice(summaries, s => s.Id, pageSize, pageToken));
    }
}
