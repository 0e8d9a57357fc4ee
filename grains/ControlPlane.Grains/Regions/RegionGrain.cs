using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Affinity;
using ControlPlane.Grains.Scheduling;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Regions;

/// <summary>Chooses a zone of the region when the caller did not pin one: spreading over zones or packing them (ControlPlane:Placement:ZonePolicy).</summary>
[Reentrant]
[OpsCentreAffinity]
public sealed class RegionGrain(PlatformTopology topology, PlacementGuard guard, IOptions<PlacementOptions> placement) : Grain, IRegionGrain
{
    /// <summary>Set while the region is failed over to its disaster-recovery region: only recovery placements are made here.</summary>
    private bool _failedOver;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(() =>
        {
            if (guard.IsMisplaced(this.GetPrimaryKeyString())) this.DeactivateOnIdle();
            return Task.CompletedTask;
        }, PlacementGuard.CheckPeriod, PlacementGuard.CheckPeriod);
        using var system = CallerContext.AsSystem("region-activation");
        _failedOver = await GrainFactory.GetGrain<IDisasterRecoveryGrain>(this.GetPrimaryKeyString()).IsFailedOverAsync();
    }

    public Task SetFailedOverAsync(bool failedOver)
    {
        _failedOver = failedOver;
        return Task.CompletedTask;
    }

    private RegionSpec Region => topology.FindRegion(this.GetPrimaryKeyString()) ?? throw Failures.UnknownRegion("region", this.GetPrimaryKeyString());

    public async Task<Placement?> FindAsync(string instanceId)
    {
        var found = await Task.WhenAll(Region.Zones.Select(z => GrainFactory.GetGrain<IZoneGrain>(z.Id).FindAsync(instanceId)));
        return found.FirstOrDefault(p => p is not null);
    }

    public Task<Placement> PlaceAsync(PlacementRequest request) => PlaceAsync(request, (zone, r) => zone.PlaceAsync(r));

    public Task<Placement> CheckPlacementAsync(PlacementRequest request) => PlaceAsync(request, (zone, r) => zone.CheckPlacementAsync(r));

    /// <summary>The region's rules and zone order around <paramref name="place"/>, which places (or only finds a server) in one zone.</summary>
    private async Task<Placement> PlaceAsync(PlacementRequest request, Func<IZoneGrain, PlacementRequest, Task<Placement>> place)
    {
        var region = Region;
        if (_failedOver && !request.Recovery)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.RegionFailedOver,
                $"region '{region.Id}' is failed over to its disaster-recovery region: nothing new is placed here until it fails back",
                (ErrorMetadata.Region, region.Id)).ToException();
        }
        if (request.Zone.Length > 0 && !request.ZoneIsPreference)
        {
            return await place(GrainFactory.GetGrain<IZoneGrain>(request.Zone), request);
        }

        using var span = ControlPlaneTelemetry.Source.StartActivity("placement.region");
        span?.SetTag(ControlPlaneTelemetry.Tags.Region, region.Id);
        span?.SetTag(ControlPlaneTelemetry.Tags.Instance, request.InstanceId);
        // A retiring zone takes nothing new, not even an instance moving away from one of its own servers.
        var zones = await Task.WhenAll(region.ActiveZones.Select(z => GrainFactory.GetGrain<IZoneGrain>(z.Id).GetAsync()));
        var ordered = ZoneOrder.For(zones, request.Zone, placement.Value.ZonePolicy);
        var refusals = new List<(string Key, string Value)>();
        foreach (var zone in ordered)
        {
            try
            {
                var placement = await place(GrainFactory.GetGrain<IZoneGrain>(zone.Id), request with { Zone = zone.Id });
                span?.SetTag(ControlPlaneTelemetry.Tags.Zone, placement.Zone);
                span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "placed");
                return placement;
            }
            catch (ControlPlaneException e) when (e.Error.Reason == ErrorReasons.NoCapacity)
            {
                refusals.Add((ErrorMetadata.ZoneRefusal(zone.Id), e.Error.Message));
            }
        }
        span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "no_capacity");
        span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "no capacity");
        throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity,
            $"no server in region '{region.Id}' has {request.Resources} free for size {request.Size}",
            [(ErrorMetadata.Region, region.Id), (ErrorMetadata.Size, request.Size), .. ErrorMetadata.Amount(ErrorMetadata.Requested, request.Resources),
            .. ErrorMetadata.Amount(ErrorMetadata.Available, ordered.Aggregate(ResourceAmount.Zero, (sum, z) => sum + z.Free)), .. refusals]).ToException();
    }
}
