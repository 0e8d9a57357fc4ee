using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// The phases of one kind of operation, which <see cref="OperationGrain"/> runs. Every phase is
/// idempotent: an operation interrupted by a crash runs its recorded phase again.
/// </summary>
public interface IOperationWorkflow
{
    OperationKind Kind { get; }

    /// <summary>
    /// PENDING → RUNNING: holds what the operation needs (quota, capacity, a claim on its instances),
    /// or throws the refusal. Returns the instance the operation shows.
    /// </summary>
    /// <param name="resuming">True when an earlier attempt may have got part of the way (a retry, a reminder).</param>
    Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming);

    /// <summary>After a refusal at admission: gives back what admission held.</summary>
    Task RefuseAsync(OperationContext context, DomainError refusal);

    /// <summary>RUNNING → the end: the agents' part, then the books. Returns the error the operation fails with, or null.</summary>
    Task<DomainError?> CompleteAsync(OperationContext context);
}
