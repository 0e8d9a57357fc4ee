namespace ControlPlane.Faults.Scenarios;

/// <summary>
/// A scenario: its name on the command line, what it does, whether it breaks the agent fleet (not run
/// against a cluster whose reconciler is tuned to give up on agents within seconds), and its faults,
/// injected while the load runs.
/// </summary>
public sealed record Scenario(string Name, string Description, bool TouchesFleet, Func<FaultContext, CancellationToken, Task> InjectAsync);
