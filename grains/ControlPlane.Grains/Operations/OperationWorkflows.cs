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
    public IOperationWorkflow<TCommand> Starting<TCommand>() => Single<IOperationWorkflow<TCommand>, TCommand>("start from");

    /// <summary>The workflow that checks a dry run of <typeparamref name="TCommand"/>.</summary>
    public IOperationCheck<TCommand> Checking<TCommand>() => Single<IOperationCheck<TCommand>, TCommand>("check");

    private TWorkflow Single<TWorkflow, TCommand>(string what)
    {
        var found = _all.OfType<TWorkflow>().ToList();
        return found.Count == 1 ? found[0]
            : throw new InvalidOperationException($"{found.Count} operation workflows {what} {typeof(TCommand).Name}: register exactly one");
    }
}
