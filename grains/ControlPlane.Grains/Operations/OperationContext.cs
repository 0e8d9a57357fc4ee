using System.Diagnostics;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Agents;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// What a workflow sees of the operation grain that runs it: the grain factory, the operation's
/// state (the engine writes it), the clock, the agents and the logger. One per activation; it runs
/// on the grain's thread, like the workflow's phases.
/// </summary>
public sealed partial class OperationContext(
    IGrainFactory grains,
    string operationId,
    IPersistentState<OperationGrainState> state,
    IServerAgentClient agents,
    AgentCallPipeline agentCalls,
    TimeProvider clock,
    ILogger logger)
{
    public IGrainFactory Grains => grains;

    public IServerAgentClient Agents => agents;

    /// <summary>The operation's id (the grain's key), known before the operation is first written.</summary>
    public string OperationId => operationId;

    public OperationGrainState State => state.State;

    public OperationInfo Operation => State.Operation!;

    public InstanceInfo Instance => State.Instance!;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>
    /// True when the operation was admitted by another activation (or this one failed since): an attempt whose end was
    /// never stored may have given back what admission held, so a workflow checks it again before it completes.
    /// </summary>
    public bool Resumed { get; set; }

    /// <summary>
    /// What a workflow's <see cref="IOperationWorkflow.CompleteAsync"/> returns when the end it waits for is not reached yet
    /// (a drain whose server still holds instances): the operation stays RUNNING, and its next pass comes with a nudge
    /// (<see cref="Abstractions.Operations.IOperationGrain.ResumeAsync"/>) or, at the latest, with its recovery reminder.
    /// </summary>
    public DomainError? NotYet()
    {
        _notYet = true;
        return null;
    }

    private bool _notYet;

    /// <summary>Whether the pass that just ended returned <see cref="NotYet"/>; cleared for the next pass.</summary>
    public bool TakeNotYet()
    {
        var notYet = _notYet;
        _notYet = false;
        return notYet;
    }

    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..20];

    /// <summary>
    /// An agent failure that is the agent's for good (after its retries): only what <see cref="CallAgentAsync"/> throws.
    /// Anything else (a refusal, a grain call that timed out, storage that failed) is the cluster's, and leaves the
    /// operation where it is, to be resumed.
    /// </summary>
    public static bool IsAgentFailure(Exception e) => e is AgentCallException;

    /// <summary>A refusal of the request (the caller's or the platform's answer), not storage that failed to answer.</summary>
    public static bool IsRefusal(Exception e) => e is ControlPlaneException { Error.Reason: not ErrorReasons.StorageUnavailable };

    /// <summary>
    /// True when this request already started the operation (a retry: it resumes); otherwise validates
    /// the request and binds its body to the operation, which the first write then stores. The
    /// platform's own operations have no body (<paramref name="fingerprint"/> null): a repeat resumes.
    /// A caller's request (with a body) whose caller may not see the existing operation gets what it would get if there were
    /// none (<see cref="OperationAccess"/>): neither the operation nor a sign that it exists.
    /// </summary>
    public async Task<bool> BindAsync(string? fingerprint, Func<Task> validate)
    {
        if (await IsBoundAsync(fingerprint)) return true;
        await validate();
        State.Fingerprint = fingerprint;
        return false;
    }

    /// <summary>
    /// True when this request already started the operation (a retry); false when no operation is stored. Throws what
    /// <see cref="BindAsync"/> throws for a request the stored operation does not match. Reads only: a dry run asks it.
    /// </summary>
    public async Task<bool> IsBoundAsync(string? fingerprint)
    {
        if (State.Operation is not { } operation) return false;
        if (fingerprint is not null && !await OperationAccess.MaySeeAsync(grains, CallerContext.Current, Permission.WriteTenant, operation))
        {
            throw OperationAccess.Unseen(operation);
        }
        if (fingerprint is not null && State.Fingerprint != fingerprint)
        {
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.IdempotencyKeyReused,
                $"request_id '{operation.RequestId}' was already used for a different request (operation {operation.Id}); use a new request_id",
                (ErrorMetadata.RequestId, operation.RequestId), (ErrorMetadata.OperationId, operation.Id)).ToException();
        }
        return true;
    }

    /// <summary>
    /// The answer to a dry run (validate_only) whose checks passed: the stored operation when the request already started
    /// one (a retry would get it, or its refusal), else an operation with no id that nothing stores, with the zones its
    /// instances would be placed in.
    /// </summary>
    public OperationPreview Preview(OperationKind kind, string requestId, string tenantId, string instanceId = "", params string[] zones) =>
        State.Operation is { } stored
            ? (stored is { Rejected: true, Error: { } error } ? throw error.ToException() : new OperationPreview(stored, State.Instance is { Zone.Length: > 0 } i ? [i.Zone] : []))
            : new OperationPreview(new OperationInfo("", requestId, kind, OperationState.Pending, instanceId, tenantId, null, Now, Now, null, false,
                Activity.Current is { } activity ? activity.TraceId.ToHexString() : ""), [.. zones]);

    /// <summary>A new operation, PENDING since <paramref name="now"/>, in the current trace.</summary>
    public OperationInfo NewOperation(OperationKind kind, string requestId, string instanceId, string tenantId, DateTimeOffset now) =>
        new(operationId, requestId, kind, OperationState.Pending, instanceId, tenantId, null, now, now, null, false,
            Activity.Current is { } activity ? activity.TraceId.ToHexString() : "");

    public Activity? StartSpan(string name, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = ControlPlaneTelemetry.Source.StartActivity(name, kind);
        if (activity is null) return null;
        activity.SetTag(ControlPlaneTelemetry.Tags.Operation, Operation.Id);
        activity.SetTag(ControlPlaneTelemetry.Tags.Kind, Operation.Kind.ToString());
        activity.SetTag(ControlPlaneTelemetry.Tags.Tenant, Operation.TenantId);
        activity.SetTag(ControlPlaneTelemetry.Tags.Instance, Operation.InstanceId);
        if (State.Instance is { } instance)
        {
            activity.SetTag(ControlPlaneTelemetry.Tags.Size, instance.Size);
            activity.SetTag(ControlPlaneTelemetry.Tags.Region, instance.Region);
            activity.SetTag(ControlPlaneTelemetry.Tags.Zone, instance.Zone);
            activity.SetTag(ControlPlaneTelemetry.Tags.Server, instance.ServerId);
        }
        return activity;
    }

    /// <summary>
    /// One call to a server's agent, retried and broken off by the agent pipeline, in a span of its own. A failure for
    /// good throws <see cref="AgentCallException"/> (a domain refusal passes as it is).
    /// </summary>
    public async Task CallAgentAsync(string name, string serverId, Func<CancellationToken, Task> call)
    {
        using var span = StartSpan(name, ActivityKind.Client);
        try
        {
            await agentCalls.ExecuteAsync(serverId, async ct => await call(ct), CancellationToken.None);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            span?.AddException(e);
            if (e is ControlPlaneException) throw;
            throw new AgentCallException(serverId, e);
        }
    }

    public void LogAgentFailed(Exception exception, string instanceId, string serverId) =>
        LogAgentFailed(logger, exception, Operation.Id, instanceId, serverId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: agent failed for instance {InstanceId} on server {ServerId}")]
    private static partial void LogAgentFailed(ILogger logger, Exception exception, string operationId, string instanceId, string serverId);
}
