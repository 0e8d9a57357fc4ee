using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Operations;

/// <summary>The workflow of each kind of operation and of each command that starts one: every <see cref="IOperationWorkflow"/> registered.</summary>
public sealed class OperationWorkflows
{
    private readonly IReadOnlyList<IOperationWorkflow> _all;
    private readonly Dictionary<OperationKind, IOperationWorkflow> _byKind;

    public OperationWorkflows(IEnumerable<IOperationWorkflow> workflows)
    {
        _all = [.. workflows];
        // Throws at start-up when two workflows claim one kind.
        _byKind = _all.ToDictionary(w => w.Kind);
    }

    /// <summary>The workflow that runs <paramref name="kind"/>, or null when none does (an operation stored by another version).</summary>
    public IOperationWorkflow? Find(OperationKind kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>The workflow that <typeparamref name="TCommand"/> starts.</summary>
    public IOperationWorkflow<TCommand> Starting<TCommand>()
    {
        var starting = _all.OfType<IOperationWorkflow<TCommand>>().ToList();
        return starting.Count == 1 ? starting[0]
            : throw new InvalidOperationException($"{starting.Count} operation workflows start from {typeof(TCommand).Name}: register exactly one");
    }
}
