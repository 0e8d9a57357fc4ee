using System.Diagnostics;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Agents;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// One operation of any kind — an instance's create, delete or move, a zone-redundant set, a
/// service's order or cancellation — run by the workflow of its kind (<see cref="OperationWorkflows"/>);
/// this engine knows none of them. Key: <see cref="Requests.OperationId"/> of the request_id, so that
/// a retry reaches the same grain (the platform's own moves have keys of their own). The first call
/// starts the operation, a repeat with the same body returns it, a repeat with another body is refused.
/// The operation is written PENDING, with a reminder that wakes it until it ends, before anything else
/// happens; each phase is idempotent, so an operation interrupted by a crash is run again from its
/// recorded phase. Admission (quota, placement) completes before the call returns, so a refusal reaches
/// the caller as an error; the agents' work follows the acknowledgement. A stored operation of a kind
/// no workflow runs ends FAILED (UNKNOWN_OPERATION_KIND).
/// </summary>
public sealed class OperationGrain(
    OperationWorkflows workflows,
    IServerAgentClient agents,
    AgentCallPipeline agentCalls,
    TimeProvider clock,
    IOptions<OperationOptions> options,
    ILogger<OperationGrain> logger,
    [PersistentState("operation", StorageNames.State)] IPersistentState<OperationGrainState> state) : Grain, IOperationGrain, IRemindable
{
    private const string RecoveryReminder = "resume";

    private TaskCompletionSource? _terminal;

    /// <summary>The recovery reminder as this activation registered it; looked up only when another activation did.</summary>
    private IGrainReminder? _reminder;

    private OperationContext? _context;

    private OperationInfo Operation => state.State.Operation!;

    private OperationContext Context => _context ??= new(GrainFactory, this.GetPrimaryKeyString(), state, agents, agentCalls, clock, logger);

    public Task<OperationInfo> StartCreateAsync(CreateInstanceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartDeleteAsync(DeleteInstanceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartMoveAsync(MoveInstanceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartZoneRedundantAsync(CreateZoneRedundantCommand command) => StartAsync(command);

    public Task<OperationInfo> StartOrderServiceAsync(OrderServiceCommand command) => StartAsync(command);

    public Task<OperationInfo> StartCancelServiceAsync(CancelServiceCommand command) => StartAsync(command);

    public Task<OperationInfo?> GetAsync() => Task.FromResult(state.State.Operation);

    public async Task<OperationInfo?> WaitAsync(TimeSpan timeout)
    {
        if (state.State.Operation is not { IsTerminal: false }) return state.State.Operation;
        _terminal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.WhenAny(_terminal.Task, Task.Delay(timeout, clock));
        return state.State.Operation;
    }

    public async Task ResumeAsync()
    {
        if (state.State.Operation is not { IsTerminal: false } || await WorkflowAsync() is not { } workflow) return;
        if (Operation.State == OperationState.Pending)
        {
            try
            {
                await AdmitAsync(workflow, resuming: true);
            }
            catch (ControlPlaneException)
            {
                return;
            }
        }
        await FinishAsync(await workflow.CompleteAsync(Context), rejected: false);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Resuming an interrupted operation is the platform's work: its requester's call has long ended.
        using var system = CallerContext.AsSystem("operation-recovery");
        if (state.State.Operation is { IsTerminal: true })
        {
            // Left by an end whose unregistration failed: nothing more to wake up for.
            if (await this.GetReminder(RecoveryReminder) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        await ResumeAsync();
    }

    /// <summary>The workflow the command starts validates and drafts a new operation (none for a retry); the engine writes it and admits it.</summary>
    private async Task<OperationInfo> StartAsync<TCommand>(TCommand command)
    {
        var draft = await workflows.Starting<TCommand>().StartAsync(Context, command);
        if (draft is not null) await BeginAsync(draft);
        return await AcknowledgeAsync(resuming: draft is null);
    }

    private async Task BeginAsync(OperationDraft draft)
    {
        state.State.Operation = draft.Operation;
        state.State.Instance = draft.Instance;
        state.State.GpuModel = draft.GpuModel;
        await state.PersistAsync(this);
        _reminder = await this.RegisterOrUpdateReminder(RecoveryReminder, options.Value.RecoveryPeriod, options.Value.RecoveryPeriod);
        Count(OperationState.Pending);
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
        catch (ControlPlaneException e)
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
        state.State.Operation = Operation with { State = OperationState.Running, UpdateTime = clock.GetUtcNow() };
        await state.PersistAsync(this);
        Count(OperationState.Running);
    }

    private async Task FinishAsync(DomainError? error, bool rejected)
    {
        var now = clock.GetUtcNow();
        state.State.Operation = Operation with
        {
            State = error is null ? OperationState.Succeeded : OperationState.Failed,
            Error = error,
            Rejected = rejected,
            UpdateTime = now,
            EndTime = now,
        };
        await state.PersistAsync(this);
        Count(Operation.State);
        ControlPlaneTelemetry.ProvisioningDuration.Record((now - Operation.CreateTime).TotalSeconds,
            new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Kind, Operation.Kind.ToString()),
            new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Outcome, error?.Reason ?? "SUCCEEDED"));
        if ((_reminder ?? await this.GetReminder(RecoveryReminder)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            _reminder = null;
        }
        _terminal?.TrySetResult();
    }

    private void Count(OperationState reached) => ControlPlaneTelemetry.OperationTransitions.Add(1,
        new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.Kind, Operation.Kind.ToString()),
        new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.State, reached.ToString()));
}
