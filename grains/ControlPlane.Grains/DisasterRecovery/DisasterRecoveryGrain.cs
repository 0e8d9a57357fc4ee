using System.Collections.Immutable;
using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Domain.Residency;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.DisasterRecovery;

/// <summary>
/// Disaster recovery of one production region. A protected instance holds a reservation — capacity
/// on a server of the disaster-recovery region that the server grain keeps like an allocation — so a
/// failover finds room. A failover moves every protected instance there through the same persisted
/// move operations as a drain (one per instance and generation, landing on its reservation first),
/// a few dozen at a time, and a reminder carries it on if the silo running it dies. The region then
/// takes no new placements until it fails back.
/// Protections and the failover/failback run each have their own file; the run's counts are a <see cref="FailoverRun"/>.
/// </summary>
public sealed partial class DisasterRecoveryGrain(
    PlatformTopology topology,
    TimeProvider clock,
    IOptions<DisasterRecoveryOptions> options,
    ILogger<DisasterRecoveryGrain> logger,
    [PersistentState("disaster-recovery", StorageNames.State)] IPersistentState<DisasterRecoveryState> state) : Grain, IDisasterRecoveryGrain, IRemindable
{
    private string RegionId => this.GetPrimaryKeyString();
    private RegionSpec Region => topology.FindRegion(RegionId) ?? throw Failures.UnknownRegion("region", RegionId);

    /// <summary>The region the protected instances fail over to: the one with the disaster-recovery role.</summary>
    private string? DrRegion => ResidencyRules.DisasterRecoveryRegion(topology.Regions.Select(r => (r.Id, r.Role)), RegionId);

    private bool Running => state.State.Mode is DrMode.FailingOver or DrMode.FailingBack;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(TickAsync, options.Value.Period, options.Value.Period);
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public Task<bool> IsFailedOverAsync() => Task.FromResult(state.State.Mode is DrMode.FailingOver or DrMode.FailedOver);

    public Task<DrStatus> GetStatusAsync() => Task.FromResult(Status());

    /// <summary>Advances a running failover or failback, or retries missing reservations.</summary>
    private async Task TickAsync()
    {
        using var system = CallerContext.AsSystem("disaster-recovery");
        if (Running)
        {
            await AdvanceAsync();
            return;
        }
        if (state.State.Mode != DrMode.Normal) return;
        await RetryReservationsAsync();
    }

    /// <summary>The region's status; with <paramref name="starting"/>, as it would be once that run is stored (a dry run's answer).</summary>
    private DrStatus Status(FailoverRun? starting = null)
    {
        var protections = state.State.Protections.Values;
        return new DrStatus(RegionId, DrRegion ?? "", starting?.Phase ?? state.State.Mode, protections.Count, protections.Count(p => p.IsReserved),
            [.. protections.Where(p => !p.IsReserved).OrderBy(p => p.InstanceId, StringComparer.Ordinal)], starting is null ? state.State.Run : Public(starting));
    }

    private ControlPlaneException Conflict(string wanted) =>
        DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrStateConflict,
            $"region '{RegionId}' is {ModeName(state.State.Mode)}: cannot {wanted} now",
            (ErrorMetadata.Region, RegionId), (ErrorMetadata.Mode, ModeName(state.State.Mode))).ToException();

    private static string ModeName(DrMode mode) => mode switch
    {
        DrMode.FailingOver => "failing-over",
        DrMode.FailedOver => "failed-over",
        DrMode.FailingBack => "failing-back",
        _ => "normal",
    };
}
