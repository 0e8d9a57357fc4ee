using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Servers;

/// <summary>Allocations: reserving a server's capacity for an instance (or a disaster-recovery reservation) and releasing it.</summary>
public sealed partial class ServerGrain
{
    private ResourceAmount Allocated => state.State.AllocatedResources();

    public async Task<ServerUsage?> TryReserveAsync(ServerAllocation allocation)
    {
        var spec = Spec;
        if (state.State.Allocations.ContainsKey(allocation.InstanceId)) return Usage();
        if (!Schedulable) return null;

        // An instance failing over onto its own reservation takes the reservation's place.
        var reservation = allocation.IsReservation ? null
            : state.State.Allocations.GetValueOrDefault(ServerAllocation.ReservationId(allocation.InstanceId));
        var free = spec.Capacity - Allocated + (reservation?.Resources ?? ResourceAmount.Zero);
        if (!free.Covers(allocation.Resources)) return null;
        if (allocation.Resources.Gpus > 0 && allocation.GpuModel.Length > 0 && allocation.GpuModel != spec.GpuModel) return null;
        if (allocation.AntiAffinityGroup.Length > 0
            && state.State.Allocations.Values.Any(a => a.AntiAffinityGroup == allocation.AntiAffinityGroup)) return null;

        if (reservation is not null) state.State.Allocations.Remove(reservation.InstanceId);
        state.State.Allocations[allocation.InstanceId] = allocation;
        await state.PersistAsync(this);
        return Usage();
    }

    public async Task<ServerUsage> ReleaseAsync(string instanceId)
    {
        _ = Spec;
        if (state.State.Allocations.Remove(instanceId))
        {
            NoteIfDrained();
            await state.PersistAsync(this);
        }
        return Usage();
    }
}
