using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Instances;
using ControlPlane.Grains.Operations;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Servers;

/// <summary>
/// DrainServer, an operator's operation on a server (no tenant): its server's grain goes DRAINING under it, then starts
/// it. Each pass reads the server and ends the operation, or leaves it RUNNING for the next pass (the server nudges it
/// when it empties or leaves DRAINING; the recovery reminder passes anyway):
/// <list type="number">
/// <item>the server is no longer draining under this operation (uncordoned, cordoned, marked failed): FAILED, DRAIN_INTERRUPTED;</item>
/// <item>the server emptied under it (DRAINED): SUCCEEDED;</item>
/// <item>past <see cref="OperationOptions.DrainTimeout"/>: the server goes back to CORDONED, FAILED, DRAIN_TIMED_OUT;</item>
/// <item>otherwise each instance running there is moved live by its MoveInstance operation (the same one the server's
/// evacuation starts); a move refused for room (NO_CAPACITY) puts the server back to CORDONED and fails the drain with that refusal.</item>
/// </list>
/// </summary>
public sealed class DrainServerWorkflow(IOptions<OperationOptions> options) : IOperationWorkflow<DrainServerCommand>
{
    public OperationKind Kind => OperationKind.DrainServer;

    public async Task<OperationDraft?> StartAsync(OperationContext context, DrainServerCommand command)
    {
        // Started by the server's grain only (no caller's body to bind): a repeat returns the drain.
        if (await context.BindAsync(null, () => Task.CompletedTask)) return null;
        return new OperationDraft(context.NewOperation(Kind, "", "", "", context.Now) with { ServerId = command.ServerId }, null, "");
    }

    /// <summary>Nothing to hold: the server is already DRAINING (cordoned) under this operation.</summary>
    public Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming) => Task.FromResult<InstanceInfo?>(null);

    public Task RefuseAsync(OperationContext context, DomainError refusal) => Task.CompletedTask;

    public async Task<DomainError?> CompleteAsync(OperationContext context)
    {
        var operation = context.Operation;
        var server = context.Grains.GetGrain<IServerGrain>(operation.ServerId);
        var details = await server.GetAsync();
        if (details.DrainOperationId != operation.Id) return Interrupted(operation, details);
        if (details.DrainDone) return null;
        if (context.Now - operation.CreateTime > options.Value.DrainTimeout)
        {
            var timedOut = DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrainTimedOut,
                $"server '{operation.ServerId}' still held {Held(details).Count} instance(s) after {options.Value.DrainTimeout}: it is cordoned again; see why its instances' moves failed, then drain it again",
                (ErrorMetadata.ServerId, operation.ServerId), (ErrorMetadata.OperationId, operation.Id),
                (ErrorMetadata.InstanceCount, Held(details).Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await server.AbandonDrainAsync(operation.Id, "DrainTimedOut");
            return timedOut;
        }
        foreach (var instanceId in Held(details))
        {
            var instance = await context.Grains.GetGrain<IInstanceGrain>(instanceId).GetAsync();
            // Being moved, created or deleted by an operation of its own: that operation releases the server.
            if (instance is not { State: InstanceState.Running } || instance.ServerId != operation.ServerId) continue;
            try
            {
                await context.Grains.GetGrain<IOperationGrain>(MoveInstanceWorkflow.OperationIdOf(instance))
                    .StartMoveAsync(new MoveInstanceCommand(instance.Id, operation.ServerId, Live: true));
            }
            catch (ControlPlaneException e) when (e.Error.Reason == ErrorReasons.NoCapacity)
            {
                await server.AbandonDrainAsync(operation.Id, "NoCapacity");
                return e.Error.With(ErrorMetadata.ServerId, operation.ServerId).With(ErrorMetadata.OperationId, operation.Id).With(ErrorMetadata.InstanceId, instance.Id) with
                {
                    Message = $"server '{operation.ServerId}' cannot be drained: no room for instance '{instance.Id}' ({instance.Size}) elsewhere in region '{instance.Region}'; " +
                        $"it is cordoned again with the instances it still runs ({e.Error.Message})",
                };
            }
            catch (ControlPlaneException e) when (OperationContext.IsRefusal(e))
            {
                // The instance became busy in between (deleted, moved by another operation): the next pass looks again.
            }
        }
        return context.NotYet();
    }

    /// <summary>The instances (not the disaster-recovery reservations) the server still holds.</summary>
    private static List<string> Held(ServerDetails details) => [.. details.Allocations.Where(a => !a.IsReservation).Select(a => a.InstanceId)];

    private static DomainError Interrupted(OperationInfo operation, ServerDetails details) =>
        DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.DrainInterrupted,
            $"server '{operation.ServerId}' is {details.Lifecycle.ToString().ToLowerInvariant()} ({details.LifecycleReason}) and no longer drains under this operation: " +
            $"the drain ended with {Held(details).Count} instance(s) still there",
            (ErrorMetadata.ServerId, operation.ServerId), (ErrorMetadata.OperationId, operation.Id),
            (ErrorMetadata.Lifecycle, details.Lifecycle.ToString().ToUpperInvariant()));
}
