using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.DisasterRecovery;

/// <summary>Protections: which instances are protected, and the reservation each holds in the disaster-recovery region.</summary>
public sealed partial class DisasterRecoveryGrain
{
    private const int SweepBatch = 100;

    public async Task<DrProtection> ProtectAsync(string instanceId)
    {
        var (protection, isNew) = await CheckProtectionAsync(instanceId);
        if (!isNew) return protection;
        protection = await ReserveAsync(protection);
        state.State.Protections[instanceId] = protection;
        await state.PersistAsync(this);
        await GrainFactory.GetGrain<IInstanceGrain>(instanceId).SetDrProtectedAsync(true);
        return protection;
    }

    public async Task<DrProtection> CheckProtectAsync(string instanceId)
    {
        var (protection, isNew) = await CheckProtectionAsync(instanceId);
        return isNew ? await ReserveAsync(protection, dryRun: true) : protection;
    }

    /// <summary>
    /// The checks of a protection (an instance that exists and is not going away, the caller's right on its tenant, the
    /// region in its normal mode, the disaster-recovery region allowed by the tenant and its residency): throws the refusal;
    /// else the stored protection, or the new one before its reservation.
    /// </summary>
    private async Task<(DrProtection Protection, bool IsNew)> CheckProtectionAsync(string instanceId)
    {
        var region = Region;
        var instance = await GrainFactory.GetGrain<IInstanceGrain>(instanceId).GetAsync() ?? throw Failures.InstanceNotFound(instanceId);
        await Guard.TenantAsync(GrainFactory, instance.TenantId, write: true);
        if (state.State.Protections.TryGetValue(instanceId, out var existing)) return (existing, false);
        if (instance.State is InstanceState.Deleting or InstanceState.Deleted) throw Failures.InstanceNotFound(instanceId);
        if (state.State.Mode != DrMode.Normal) throw Conflict("protect instances");
        var drRegion = DrRegion;
        if (drRegion is not null)
        {
            var tenant = await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).GetAsync();
            if (Residency.DrProblem(tenant.Spec, region, topology.FindRegion(drRegion)!) is { } residency)
            {
                throw NotAllowed(drRegion, $"instance '{instanceId}' cannot be protected in '{drRegion}': {residency}");
            }
            if (!tenant.Spec.AllowedRegions.Contains(drRegion))
            {
                throw NotAllowed(drRegion, $"instance '{instanceId}' cannot be protected: its disaster-recovery region '{drRegion}' is not among tenant '{instance.TenantId}''s allowed regions ({string.Join(", ", tenant.Spec.AllowedRegions)})");
            }
        }
        return (new DrProtection(instanceId, instance.TenantId, instance.Size, instance.Resources,
            instance.Resources.Gpus > 0 ? await GpuModelAsync(instance) : "", drRegion ?? "", "", "", ""), true);

        ControlPlaneException NotAllowed(string drRegion, string message) =>
            DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrRegionNotAllowed, message,
                (ErrorMetadata.InstanceId, instanceId), (ErrorMetadata.Region, region.Id), (ErrorMetadata.DrRegion, drRegion), (ErrorMetadata.TenantId, instance.TenantId)).ToException();
    }

    public async Task UnprotectAsync(string instanceId, bool deleted)
    {
        if (!state.State.Protections.TryGetValue(instanceId, out var protection)) return;
        if (!deleted) await CheckUnprotectAsync(protection);
        await ReleaseAsync(protection);
        state.State.Protections.Remove(instanceId);
        state.State.Pending.Remove(instanceId);
        await state.PersistAsync(this);
        if (!deleted) await GrainFactory.GetGrain<IInstanceGrain>(instanceId).SetDrProtectedAsync(false);
    }

    public async Task CheckUnprotectAsync(string instanceId)
    {
        if (state.State.Protections.TryGetValue(instanceId, out var protection)) await CheckUnprotectAsync(protection);
    }

    /// <summary>The caller's right on the instance's tenant and the region in its normal mode: throws the refusal.</summary>
    private async Task CheckUnprotectAsync(DrProtection protection)
    {
        await Guard.TenantAsync(GrainFactory, protection.TenantId, write: true);
        if (state.State.Mode != DrMode.Normal) throw Conflict("unprotect instances");
    }

    public async Task ReservationDroppedAsync(string instanceId, string serverId)
    {
        if (!state.State.Protections.TryGetValue(instanceId, out var protection) || protection.ReservedServerId != serverId) return;
        state.State.Protections[instanceId] = protection with { ReservedZone = "", ReservedServerId = "", Problem = $"server '{serverId}' left service" };
        await state.PersistAsync(this);
    }

    /// <summary>Tries again to reserve for the protections that hold no reservation, a batch at a time.</summary>
    private async Task RetryReservationsAsync()
    {
        var missing = state.State.Protections.Values.Where(p => !p.IsReserved).Take(SweepBatch).ToList();
        if (missing.Count == 0) return;
        var changed = false;
        foreach (var protection in missing)
        {
            var retried = await ReserveAsync(protection);
            if (retried == protection) continue;
            state.State.Protections[protection.InstanceId] = retried;
            changed = true;
        }
        // Retries that change nothing (still no capacity, still no disaster-recovery region) write nothing.
        if (changed) await state.PersistAsync(this);
    }

    /// <summary>
    /// Places the instance's reservation in the disaster-recovery region, or records why it could not;
    /// <paramref name="dryRun"/>: only finds where it would be placed, holding nothing.
    /// </summary>
    private async Task<DrProtection> ReserveAsync(DrProtection protection, bool dryRun = false)
    {
        var drRegion = DrRegion;
        if (drRegion is null) return protection with { DrRegion = "", Problem = "no region has the disaster-recovery role" };
        try
        {
            var request = new PlacementRequest(
                ServerAllocation.ReservationId(protection.InstanceId), protection.TenantId, protection.Size, protection.Resources, protection.GpuModel, "",
                Reservation: true, Recovery: true);
            var target = GrainFactory.GetGrain<IRegionGrain>(drRegion);
            var placement = await (dryRun ? target.CheckPlacementAsync(request) : target.PlaceAsync(request));
            return protection with { DrRegion = drRegion, ReservedZone = placement.Zone, ReservedServerId = placement.ServerId, Problem = "" };
        }
        catch (ControlPlaneException e)
        {
            return protection with { DrRegion = drRegion, Problem = $"{e.Error.Reason}: {e.Error.Message}" };
        }
    }

    private async Task ReleaseAsync(DrProtection protection)
    {
        if (!protection.IsReserved) return;
        await GrainFactory.GetGrain<IZoneGrain>(protection.ReservedZone).ReleaseAsync(protection.ReservedServerId, ServerAllocation.ReservationId(protection.InstanceId));
    }

    private async Task<string> GpuModelAsync(InstanceInfo instance)
    {
        var server = await GrainFactory.GetGrain<IServerGrain>(instance.ServerId).GetAsync();
        return server.GpuModel;
    }
}
