using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Instances;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Servers;

/// <summary>Evacuation: moving the instances off a draining (live) or failed (re-created) server, and giving up its reservations.</summary>
public sealed partial class ServerGrain
{
    /// <summary>Starts a move for every instance still here that no operation holds; each move is its own operation.</summary>
    private async Task StartMovesAsync()
    {
        if (!ServerLifecycleTable.Evacuates(Lifecycle)) return;
        await DropReservationsAsync();
        var live = Lifecycle == ServerLifecycle.Draining;
        foreach (var allocation in state.State.Allocations.Values.ToList())
        {
            var record = GrainFactory.GetGrain<IInstanceGrain>(allocation.InstanceId);
            var instance = await record.GetAsync();
            if (instance is not { State: InstanceState.Running } || instance.ServerId != Id) continue;
            if (!live)
            {
                await record.ObserveAsync(Id, InstanceConditions.Running, false, InstanceConditions.ReasonServerFailed,
                    $"server '{Id}' failed ({state.State.LifecycleReason}); re-creating the instance elsewhere");
            }
            Count("move_started");
            GrainFactory.GetGrain<IOperationGrain>(MoveInstanceWorkflow.OperationIdOf(instance))
                .StartMoveAsync(new MoveInstanceCommand(instance.Id, Id, live)).Ignore();
        }
    }

    /// <summary>
    /// A server leaving service gives up the disaster-recovery reservations it holds; each instance's
    /// protection is told, and reserves again elsewhere.
    /// </summary>
    private async Task DropReservationsAsync()
    {
        var reservations = state.State.Allocations.Values.Where(a => a.IsReservation).ToList();
        if (reservations.Count == 0) return;
        foreach (var reservation in reservations) state.State.Allocations.Remove(reservation.InstanceId);
        NoteIfDrained();
        await state.PersistAsync(this);
        ReportToZone();
        foreach (var reservation in reservations)
        {
            var instanceId = reservation.InstanceId[ServerAllocation.ReservationId("").Length..];
            var instance = await GrainFactory.GetGrain<IInstanceGrain>(instanceId).GetAsync();
            if (instance is null) continue;
            GrainFactory.GetGrain<IDisasterRecoveryGrain>(ProtectionRegion.Of(instance.Region, instance.HomeRegion))
                .ReservationDroppedAsync(instanceId, Id).Ignore();
        }
    }
}
