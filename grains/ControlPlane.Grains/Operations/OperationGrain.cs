using System.Diagnostics;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Agents;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// One operation of any kind — an instance's create, delete or move, a zone-redundant set, a
/// service's order or cancellation, a server's drain — run by the workflow of its kind (<see cref="OperationWorkflows"/>);
/// this engine knows none of them. Key: <see cref="Requests.OperationId"/> of the request_id within its tenant, instance or service, so that
/// a retry reaches the same grain (the platform's own moves have keys of their own). The first call
/// starts the operation, a repeat with the same body returns it, a repeat with another body is refused.
/// The operation is written PENDING before anything else happens, and storage lists it as unfinished in that
/// same write (<see cref="IUnfinishedOperations"/>) until a write makes it terminal: an operation is stored with its
/// wake-up or not at all, and <see cref="OperationRecovery"/> wakes it. Each phase is idempotent, so an operation
/// interrupted by a crash or a storage failure is run again from its recorded phase. Callers are only ever answered
/// what is stored: a failed write answers UNAVAILABLE and the activation goes, so that the next call or the recovery
/// goes on from what storage holds; a terminal operation is never written again. Admission
/// (quota, placement) completes before the call returns, so a refusal reaches the caller as an error;
/// the agents' work follows the acknowledgement. A stored operation of a kind no workflow runs ends
/// FAILED (UNKNOWN_OPERATION_KIND).
/// </summary>
[PreferLocalPlacement]
public sealed partial class OperationGrain(
    OperationWorkflows workflows,
    OperationIndexer index,
    IServerAgentClient agents,
    AgentCallPipeline agentCalls,
    TimeProvider clock,
    ILogger<OperationGrain> logger,
    OperationCensus census,
    [PersistentState("operation", StorageNames.State)] IPersistentState<OperationGrainState> state) : Grain, IOperationGrain, IRemindable
{
    /// <summary>The reminder operations stored by earlier versions registered; one still firing unregisters itself once its operation ended.</summary>
    private const string LegacyRecoveryReminder = "resume";

    private TaskCompletionSource? _terminal;

    private OperationContext? _context;

    /// <summary>The operation as storage holds it (as read, or as last written): all that callers are answered.</summary>
    private OperationInfo? _stored;

    /// <summary>The instance as storage holds it with <see cref="_stored"/>.</summary>
    private InstanceInfo? _storedInstance;

    /// <summary>True once this activation admitted the operation: nothing it relies on was given back since.</summary>
    private bool _admitted;

    private OperationInfo Operation => state.State.Operation!;

    private OperationContext Context => _context ??= new(GrainFactory, this.GetPrimaryKeyString(), state, agents, agentCalls, clock, logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stored = state.State.Operation;
        _storedInstance = state.State.Instance;
        if (_stored is not null) census.Record(_stored);
        // An unfinished operation found by any call (a caller's wait, a server's reconciliation) goes on at once rather
        // than at the next recovery sweep. The activation may come from a sweep or a system call with no caller: the
        // resume is the platform's own work.
        if (_stored is { IsTerminal: false })
        {
            using var system = CallerContext.AsSystem("operation-recovery");
            this.AsReference<IOperationGrain>().ResumeAsync().Ignore();
        }
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        census.Forget(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<OperationInfo> StartCreateAsync(CreateInstanceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartDeleteAsync(DeleteInstanceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartMoveAsync(MoveInstanceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartZoneRedundantAsync(CreateZoneRedundantCommand command) => StartAsync(command);

    public Task<OperationInfo> StartOrderServiceAsync(OrderServiceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartCancelServiceAsync(CancelServiceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartDrainAsync(DrainServerCommand command) => StartAsync(command);

    public Task<OperationPreview> CheckCreateAsync(CreateInstanceCommand command) => CheckAsync(command);

    public Task<OperationPreview> CheckDeleteAsync(DeleteInstanceCommand command) => CheckAsync(command);

    public Task<OperationPreview> CheckZoneRedundantAsync(CreateZoneRedundantCommand command) => CheckAsync(command);

    public Task<OperationPreview> CheckOrderServiceAsync(OrderServiceCommand command) => CheckAsync(command);

    public Task<OperationPreview> CheckCancelServiceAsync(CancelServiceCommand command) => CheckAsync(command);

    /// <summary>A dry run: the checks of the workflow <typeparamref name="TCommand"/> starts, nothing stored.</summary>
    private Task<OperationPreview> CheckAsync<TCommand>(TCommand command) => workflows.Checking<TCommand>().CheckAsync(Context, command);

    public Task<OperationInfo?> GetAsync() => Task.FromResult(_stored);

    public Task<InstanceInfo?> GetHeldInstanceAsync(string instanceId) =>
        Task.FromResult(_stored is { IsTerminal: false, Kind: OperationKind.CreateInstance } && _storedInstance?.Id == instanceId ? _storedInstance : null);

    public async Task<OperationInfo?> WaitAsync(TimeSpan timeout)
    {
        if (_stored is not { IsTerminal: false }) return _stored;
        _terminal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.WhenAny(_terminal.Task, Task.Delay(timeout, clock));
        return _stored;
    }

    public async Task ResumeAsync()
    {
        try
        {
            if (_stored is not { IsTerminal: false } || await WorkflowAsync() is not { } workflow) return;
            if (Operation.State == OperationState.Pending)
            {
                try
                {
                    await AdmitAsync(workflow, resuming: true);
                }
                catch (ControlPlaneException e) when (OperationContext.IsRefusal(e))
                {
                    return;
                }
            }
            Context.Resumed = !_admitted;
            var error = await workflow.CompleteAsync(Context);
            // Not there yet (a drain waiting for its server to empty): left RUNNING for the next pass.
            if (Context.TakeNotYet()) return;
            await FinishAsync(error, rejected: false);
        }
        catch (Exception e) when (!OperationContext.IsRefusal(e))
        {
            // Left where storage has it: the recovery sweep resumes it.
            LogInterrupted(logger, e, this.GetPrimaryKeyString());
            Forget();
            throw;
        }
    }

    /// <summary>A reminder registered by an earlier version: it resumes its operation as a sweep would, and goes once the operation ended.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Resuming an interrupted operation is the platform's work: its requester's call has long ended.
        using var system = CallerContext.AsSystem("operation-recovery");
        if (_stored is not { IsTerminal: false })
        {
            if (await this.GetReminder(LegacyRecoveryReminder) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        await ResumeAsync();
    }

    /// <summary>The workflow the command starts validates and drafts a new operation (none for a retry); the engine writes it and admits it.</summary>
    private async Task<OperationInfo> StartAsync<TCommand>(TCommand command)
    {
        try
        {
            var draft = await workflows.Starting<TCommand>().StartAsync(Context, command);
            if (draft is not null) await BeginAsync(draft);
            return await AcknowledgeAsync(resuming: draft is null);
        }
        catch (Exception e) when (!OperationContext.IsRefusal(e))
        {
            Forget();
            throw;
        }
    }

    /// <summary>The operation's first write, which also lists it as unfinished (its wake-up).</summary>
    private async Task BeginAsync(OperationDraft draft)
    {
        state.State.Instance = draft.Instance;
        state.State.GpuModel = draft.GpuModel;
        await StoreAsync(draft.Operation);
    }

    /// <summary>Runs admission if it has not run, then answers the caller: the operation, or the refusal.</summary>
    private async Task<OperationInfo> AcknowledgeAsync(bool resuming)
    {
        if (Operation.State == OperationState.Pending && await WorkflowAsync() is { } workflow)
        {
            await AdmitAsync(workflow, resuming);
            this.AsReference<IOperationGrain>().ResumeAsync().Ignore();
        }
        return Operation is { Rejected: true, Error: { } error } ? throw error.ToException() : Operation;
    }

    /// <summary>The workflow of the operation's kind; when no workflow runs that kind, the operation ends FAILED and this is null.</summary>
    private async Task<IOperationWorkflow?> WorkflowAsync()
    {
        if (workflows.Find(Operation.Kind) is { } workflow) return workflow;
        await FinishAsync(Failures.UnknownOperationKind(Operation.Id, Operation.Kind).Error, rejected: false);
        return null;
    }

    /// <summary>PENDING → RUNNING, or FAILED (rejected) after the workflow gave back what admission held.</summary>
    /// <param name="resuming">True when an earlier attempt may have got part of the way (a retry, a reminder).</param>
    private async Task AdmitAsync(IOperationWorkflow workflow, bool resuming)
    {
        using var span = Context.StartSpan("operation.admit");
        try
        {
            state.State.Instance = await workflow.AdmitAsync(Context, resuming);
        }
        catch (ControlPlaneException e) when (OperationContext.IsRefusal(e))
        {
            span?.SetTag(ControlPlaneTelemetry.Tags.Decision, e.Error.Reason);
            span?.SetStatus(ActivityStatusCode.Error, e.Error.Message);
            await workflow.RefuseAsync(Context, e.Error);
            await FinishAsync(e.Error.With(ErrorMetadata.OperationId, Operation.Id), rejected: true);
            throw new ControlPlaneException(Operation.Error!);
        }
        span?.SetTag(ControlPlaneTelemetry.Tags.Decision, "admitted");
        span?.SetTag(ControlPlaneTelemetry.Tags.Zone, state.State.Instance?.Zone);
        span?.SetTag(ControlPlaneTelemetry.Tags.Server, state.State.Instance?.ServerId);
        await StoreAsync(Operation with { State = OperationState.Running, UpdateTime = clock.GetUtcNow() });
        _admitted = true;
    }

    private async Task FinishAsync(DomainError? error, bool rejected)
    {
        var now = clock.GetUtcNow();
        await StoreAsync(Operation with
        {
            State = error is null ? OperationState.Succeeded : OperationState.Failed,
            Error = error,
            Rejected = rejected,
            UpdateTime = now,
            EndTime = now,
        });
        var duration = now - Operation.CreateTime;
        var outcome = error?.Reason ?? "SUCCEEDED";
        ControlPlaneTelemetry.ProvisioningDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Kind, Operation.Kind.ToString()),
            new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Outcome, outcome));
        LogFinished(logger, Operation.Id, Operation.Kind, outcome, (long)duration.TotalMilliseconds, Operation.TenantId, Operation.TraceId);
        _terminal?.TrySetResult();
    }

    /// <summary>
    /// The engine's only write of the operation. A terminal operation is never written again (whatever asks for it is a
    /// fault: logged, the activation goes); a failed write leaves memory as storage holds it.
    /// </summary>
    private async Task StoreAsync(OperationInfo next)
    {
        if (!MayStore(_stored, next))
        {
            LogTerminalRewrite(logger, _stored!.Id, _stored.State, next.State);
            Forget();
            throw DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable,
                $"operation '{_stored.Id}' is already {_stored.State.ToString().ToUpperInvariant()} and does not change again; read it again",
                (ErrorMetadata.OperationId, _stored.Id)).ToException();
        }
        state.State.Operation = next;
        try
        {
            await state.PersistAsync(this);
        }
        catch
        {
            state.State.Operation = _stored;
            throw;
        }
        _stored = next;
        _storedInstance = state.State.Instance;
        index.Note(next);
        census.Record(next);
        Count(next.State);
    }

    /// <summary>Whether <paramref name="next"/> may be written over <paramref name="stored"/>: never over a terminal operation.</summary>
    public static bool MayStore(OperationInfo? stored, OperationInfo next) => stored is not { IsTerminal: true };

    /// <summary>After a failure that may have left memory apart from storage: the activation goes once idle, and its waiters are answered what is stored.</summary>
    private void Forget()
    {
        state.State.Operation = _stored;
        _admitted = false;
        DeactivateOnIdle();
        _terminal?.TrySetResult();
        _terminal = null;
    }

    private void Count(OperationState reached) => ControlPlaneTelemetry.OperationTransitions.Add(1,
        new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Kind, Operation.Kind.ToString()),
        new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.State, reached.ToString()));

    /// <summary>One line per finished operation, for searching logs by operation, tenant or trace.</summary>
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Operation {OperationId} {OperationKind} finished {Outcome} in {DurationMs} ms (tenant {TenantId}, trace {TraceId})")]
    private static partial void LogFinished(ILogger logger, string operationId, OperationKind operationKind, string outcome, long durationMs, string tenantId, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} interrupted: it stays as stored, and the recovery sweep resumes it")]
    private static partial void LogInterrupted(ILogger logger, Exception exception, string operationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Operation {OperationId} is {Stored}: refused to write it {Next}; the activation is dropped")]
    private static partial void LogTerminalRewrite(ILogger logger, string operationId, OperationState stored, OperationState next);
}
