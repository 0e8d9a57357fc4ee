namespace ControlPlane.Grains.Operations;

/// <summary>A workflow that a <typeparamref name="TCommand"/> starts.</summary>
public interface IOperationWorkflow<in TCommand> : IOperationWorkflow
{
    /// <summary>
    /// Checks the caller, binds the request to the operation (<see cref="OperationContext.BindAsync"/>)
    /// and drafts the new operation; null when the request had already started it (a retry).
    /// </summary>
    Task<OperationDraft?> StartAsync(OperationContext context, TCommand command);
}
