using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Operations;

namespace ControlPlane.Grains.Instances;

/// <summary>
/// A workflow on one instance (a create, a delete, a move). When the agent fails for good, its
/// server is reported, the workflow undoes its work and the operation fails UNAVAILABLE.
/// </summary>
public abstract class InstanceWorkflow : IOperationWorkflow
{
    public abstract OperationKind Kind { get; }

    public abstract Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming);

    public virtual Task RefuseAsync(OperationContext context, DomainError refusal) => Task.CompletedTask;

    public async Task<DomainError?> CompleteAsync(OperationContext context)
    {
        var instance = context.Instance;
        if (context.Resumed)
        {
            try
            {
                instance = await RecheckAsync(context, instance);
            }
            catch (ControlPlaneException e) when (OperationContext.IsRefusal(e))
            {
                await UndoAsync(context, instance, e.Error.Message);
                return e.Error.With(ErrorMetadata.OperationId, context.Operation.Id);
            }
        }
        try
        {
            await RunAsync(context, instance);
            return null;
        }
        catch (Exception e) when (OperationContext.IsAgentFailure(e))
        {
            context.LogAgentFailed(e, instance.Id, instance.ServerId);
            context.Grains.GetGrain<IServerGrain>(instance.ServerId).ReportAgentFailureAsync(e.Message).Ignore();
            await UndoAsync(context, instance, e.Message);
            return DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable,
                $"the agent of server '{instance.ServerId}' failed: {e.Message}",
                (ErrorMetadata.OperationId, context.Operation.Id), (ErrorMetadata.ServerId, instance.ServerId));
        }
    }

    /// <summary>
    /// Before a resumed operation completes: makes sure, idempotently, that what admission held is still held (an attempt
    /// whose end was never stored may have given it back), or throws the refusal the operation then fails with. Returns the
    /// instance to complete.
    /// </summary>
    protected virtual Task<InstanceInfo> RecheckAsync(OperationContext context, InstanceInfo instance) => Task.FromResult(instance);

    /// <summary>RUNNING → SUCCEEDED: the agent's part, then the books.</summary>
    protected abstract Task RunAsync(OperationContext context, InstanceInfo instance);

    /// <summary>After the agent failed for good: gives back what the operation changed.</summary>
    protected abstract Task UndoAsync(OperationContext context, InstanceInfo instance, string message);
}
