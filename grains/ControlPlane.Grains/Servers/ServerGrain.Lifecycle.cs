using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Grains.Servers;

/// <summary>
/// Lifecycle: the operator's commands (cordon, uncordon, drain, mark failed, decommission, commission),
/// decided by <see cref="ServerLifecycleTable"/>; this file adds what a decision needs around it.
/// </summary>
public sealed partial class ServerGrain
{
    private static readonly TimeSpan CommissionProbeTimeout = TimeSpan.FromSeconds(5);

    public Task<ServerDetails> CordonAsync() => ApplyAsync(ServerLifecycleCommand.Cordon);

    public Task<ServerDetails> UncordonAsync() => ApplyAsync(ServerLifecycleCommand.Uncordon);

    public async Task<ServerDetails> DrainAsync()
    {
        var (to, _, _) = await PrepareAsync(ServerLifecycleCommand.Drain, observe: null, claim: true);
        if (to is null)
        {
            // Already draining: its drain, started again if a crash came between the server's write and the start.
            if (Lifecycle == ServerLifecycle.Draining) await EnsureDrainOperationAsync();
            return Details();
        }
        // The server is written DRAINING under the operation first, then the operation starts: a crash between the two
        // leaves a drain that the next call or reconcile pass starts (EnsureDrainOperationAsync), never an operation
        // waiting on a server that knows nothing of it.
        state.State.DrainOperationId = OperationContext.NewId("op-drain-");
        state.State.DrainDone = false;
        await ChangeAsync(to.Value, "Operator");
        await StartDrainOperationAsync();
        await StartMovesAsync();
        return Details();
    }

    public async Task<ServerDetails> AbandonDrainAsync(string operationId, string reason)
    {
        if (Lifecycle != ServerLifecycle.Draining || state.State.DrainOperationId != operationId) return Details();
        return await ChangeAsync(ServerLifecycle.Cordoned, reason);
    }

    /// <summary>A draining server's drain operation, started if it is not stored (never awaited while it may be running a pass: it reads this grain).</summary>
    private async Task EnsureDrainOperationAsync()
    {
        if (state.State.DrainOperationId.Length == 0)
        {
            // Draining since before drains were operations: it gets one now.
            state.State.DrainOperationId = OperationContext.NewId("op-drain-");
            state.State.DrainDone = false;
            await state.PersistAsync(this);
        }
        else if (await GrainFactory.GetGrain<IOperationGrain>(state.State.DrainOperationId).GetAsync() is not null)
        {
            return;
        }
        await StartDrainOperationAsync();
    }

    private Task StartDrainOperationAsync() =>
        GrainFactory.GetGrain<IOperationGrain>(state.State.DrainOperationId).StartDrainAsync(new DrainServerCommand(Id));

    /// <summary>Tells the drain operation that its server emptied or stopped draining: it ends now rather than at its next reminder.</summary>
    private void NudgeDrain(string operationId)
    {
        if (operationId.Length > 0) GrainFactory.GetGrain<IOperationGrain>(operationId).ResumeAsync().Ignore();
    }

    public async Task<ServerDetails> MarkFailedAsync(string reason)
    {
        await AdministerAsync();
        return await FailAsync(reason);
    }

    private async Task<ServerDetails> FailAsync(string reason)
    {
        if (Decide(ServerLifecycleCommand.MarkFailed).To is not { } to) return Details();
        var details = await ChangeAsync(to, reason.Length > 0 ? reason : "Operator");
        Count("server_failed");
        await StartMovesAsync();
        return details;
    }

    public Task<ServerDetails> DecommissionAsync() => ApplyAsync(ServerLifecycleCommand.Decommission);

    public Task<ServerDetails> CommissionAsync() => ApplyAsync(ServerLifecycleCommand.Commission);

    public async Task<ServerDetails> CheckAsync(ServerLifecycleCommand command, string reason)
    {
        var (to, _, _) = await PrepareAsync(command, observe: null, claim: false);
        return to is { } lifecycle ? Details() with { Lifecycle = lifecycle, LifecycleReason = reason.Length > 0 ? reason : "Operator" } : Details();
    }

    /// <summary>An operator's command other than a drain (<see cref="DrainAsync"/>), checked (<see cref="PrepareAsync"/>) then applied.</summary>
    private async Task<ServerDetails> ApplyAsync(ServerLifecycleCommand command)
    {
        var (to, approval, probe) = await PrepareAsync(command, Observe, claim: true);
        if (to is null) return Details();
        // A repaired server may still run instances that were re-created elsewhere meanwhile.
        foreach (var stray in probe?.InstanceIds ?? []) DeleteStrayInBackground(stray);
        // Not stored (or, if the database committed before failing, a retry finds it done and is refused): either way the
        // operator retries with the same approval rather than asking two people again.
        return await Guard.ActWithApprovalAsync(GrainFactory, approval, () => ChangeAsync(to.Value, "Operator"),
            giveBack: e => e is ControlPlaneException { Error.Reason: ErrorReasons.StorageUnavailable });
    }

    /// <summary>
    /// Every check of an operator's command, changing nothing (a dry run stops here): the caller's right, the lifecycle
    /// table, and what the command needs — an empty server to decommission (with its four-eyes approval, not yet used)
    /// or to commission (with an agent that answers). Returns the state the server goes to (null: it stays), the approval
    /// to mark used, and the commissioning probe; <paramref name="observe"/> learns from the probe (null: nothing is learnt).
    /// A decommission's approval is claimed when <paramref name="claim"/>; a dry run only checks it (it stays unused).
    /// </summary>
    private async Task<(ServerLifecycle? To, ApprovalInfo? Approval, AgentProbe? Probe)> PrepareAsync(
        ServerLifecycleCommand command, Action<AgentProbe>? observe, bool claim)
    {
        await AdministerAsync();
        if (Decide(command).To is not { } to) return (null, null, null);
        switch (command)
        {
            case ServerLifecycleCommand.Drain:
                return (ServerLifecycleTable.Settle(to, state.State.Allocations.Count == 0), null, null);
            case ServerLifecycleCommand.Decommission:
                if (state.State.Allocations.Count > 0) throw NotEmpty("; drain it first");
                return (to, await Guard.FourEyesAsync(GrainFactory, ApprovalAction.DecommissionServer, Id, claim), null);
            case ServerLifecycleCommand.Commission:
                if (state.State.Allocations.Count > 0) throw NotEmpty(" being moved away; retry when it is empty");
                // One quick attempt, not the retried pipeline: the grain waits for it, and the operator can simply retry.
                using (var timeout = new CancellationTokenSource(CommissionProbeTimeout))
                {
                    var probe = await ProbeAsync(Id, timeout.Token);
                    observe?.Invoke(probe);
                    if (!probe.Answered)
                    {
                        throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.AgentUnreachable,
                            $"the agent of server '{Id}' does not answer ({probe.Error}); repair it before commissioning",
                            (ErrorMetadata.ServerId, Id)).ToException();
                    }
                    return (to, null, probe);
                }
            default:
                return (to, null, null);
        }
    }

    /// <summary>Lifecycle changes: an operator of the server's region, from the centre that pilots it.</summary>
    private Task AdministerAsync() =>
        Guard.AdministerAsync(GrainFactory, topology, topology.RegionOf(Id)?.Id ?? "");

    /// <summary>What the command does from the current state: throws when refused.</summary>
    private ServerTransition Decide(ServerLifecycleCommand command)
    {
        var transition = ServerLifecycleTable.Decide(command, Lifecycle);
        if (transition.IsRefused)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ServerStateConflict,
                $"server '{Id}' is {Lifecycle.ToString().ToLowerInvariant()} and {transition.Refusal}",
                (ErrorMetadata.ServerId, Id), (ErrorMetadata.Lifecycle, Lifecycle.ToString().ToUpperInvariant())).ToException();
        }
        return transition;
    }

    private ControlPlaneException NotEmpty(string hint) =>
        DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ServerNotEmpty,
            $"server '{Id}' still holds {state.State.Allocations.Count} instance(s){hint}",
            (ErrorMetadata.ServerId, Id), (ErrorMetadata.InstanceCount, state.State.Allocations.Count.ToString())).ToException();

    /// <summary>A draining server whose last instance left is drained, and its drain done (the caller persists).</summary>
    private void NoteIfDrained()
    {
        var settled = ServerLifecycleTable.Settle(Lifecycle, state.State.Allocations.Count == 0);
        if (settled == Lifecycle) return;
        state.State.Lifecycle = settled;
        state.State.DrainDone = state.State.DrainOperationId.Length > 0;
        LogLifecycle(logger, Id, settled, state.State.LifecycleReason);
        NudgeDrain(state.State.DrainOperationId);
    }

    private async Task<ServerDetails> ChangeAsync(ServerLifecycle lifecycle, string reason)
    {
        // Leaving DRAINING for anything but DRAINED interrupts the drain: its operation fails.
        var interrupted = Lifecycle == ServerLifecycle.Draining && lifecycle is not (ServerLifecycle.Draining or ServerLifecycle.Drained)
            ? state.State.DrainOperationId : "";
        if (interrupted.Length > 0) state.State.DrainOperationId = "";
        if (lifecycle == ServerLifecycle.Drained && state.State.DrainOperationId.Length > 0) state.State.DrainDone = true;
        state.State.Lifecycle = lifecycle;
        state.State.LifecycleReason = reason;
        await state.PersistAsync(this);
        LogLifecycle(logger, Id, lifecycle, reason);
        ReportToZone();
        NudgeDrain(interrupted);
        if (lifecycle == ServerLifecycle.Drained) NudgeDrain(state.State.DrainOperationId);
        return Details();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Server {ServerId} is now {Lifecycle} ({Reason})")]
    private static partial void LogLifecycle(ILogger logger, string serverId, ServerLifecycle lifecycle, string reason);
}
