using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// The dry run (validate_only) of a <typeparamref name="TCommand"/>: the checks its workflow's start and admission make,
/// through read-only twins of their steps, so that it answers what the real request would and holds nothing.
/// </summary>
public interface IOperationCheck<in TCommand>
{
    /// <summary>Throws the refusal the real request would get; otherwise <see cref="OperationContext.Preview"/>. Stores nothing.</summary>
    Task<OperationPreview> CheckAsync(OperationContext context, TCommand command);
}
