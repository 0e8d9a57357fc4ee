using ControlPlane.Telemetry;
using ControlPlane.Affinity;
using Orleans.Concurrency;
using ControlPlane.Errors;
using ControlPlane.Model;
using ControlPlane.Topology;

namespace ControlPlane.Grains;

/// <summary>Chooses a zone of the region when the caller did not pin one, spreading instances over zones.</summary>
[Reentrant]
[OpsCentreAffinity]
public sealed class RegionGrain(PlatformTopology topology, PlacementGuard guard) : Grain, IRegionGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(() =>
        {
            if (guard.IsMisplaced(this.GetPrimaryKeyString())) this.DeactivateOnIdle();
            return Task.CompletedTask;
        }, PlacementGuard.CheckPeriod, PlacementGuard.CheckPeriod);
        return Task.CompletedTask;
    }

    private RegionSpec Region => topology.FindRegion(this.GetPrimaryKeyString()) ?? throw Failures.UnknownRegion("region", this.GetPrimaryKeyString());

    public async Task<Placement?> FindAsync(string instanceId)
    {
        var found = await Task.WhenAll(Region.Zones.Select(z => GrainFactory.GetGrain<IZoneGrain>(z.Id).FindAsync(instanceId)));
        return found.FirstOrDefault(p => p is not null);
    }

    public async Task<Placement> PlaceAsync(PlacementRequest request)
    {
        var region = Region;
        if (request.Zone.Length > 0 && !request.ZoneIsPreference)
        {
            return await GrainFactory.GetGrain<IZoneGrain>(request.Zone).PlaceAsync(request);
        }

        using var span = ControlPlaneTelemetry.Source.StartActivity("placement.region");
        span?.SetTag(ControlPlaneTelemetry.Tags.Region, region.Id);
        span?.SetTag(ControlPlaneTelemetry.Tags.Instance, request.InstanceId);
        // Spread: the zone with the largest share of free cores first; the others in turn if it is full.
        var zones = await Task.WhenAll(region.Zones.Select(z => GrainFactory.GetGrain<IZoneGrain>(z.Id).GetAsync()));
        // A preferred zone (a move: same zone first) goes before the others.
        var ordered = zones.OrderByDescending(z => z.Id == request.Zone)
            .ThenByDescending(z => (double)z.Free.Cores / Math.Max(1, z.Total.Cores)).ThenBy(z => z.Id, StringComparer.Ordinal);
        var refusals = new List<(string Key, string Value)>();
        foreach (var zone in ordered)
        {
            try
            {
                var placement = await GrainFactory.GetGrain<IZoneGrain>(zone.Id).PlaceAsync(request with { Zone = zone.Id });
                span?.SetTag(ControlPlaneTelemetry.Tags.Zone, placement.Zone);
                span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "placed");
                return placement;
            }
            catch (ControlPlaneException e) when (e.Error.Reason == ErrorReasons.NoCapacity)
            {
                refusals.Add(($"zone.{zone.Id}", e.Error.Message));
            }
        }
        span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "no_capacity");
        span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "no capacity");
        throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity,
            $"no server in region '{region.Id}' has {request.Resources} free for size {request.Size}",
            [("region", region.Id), ("size", request.Size), .. refusals]).ToException();
    }
}
