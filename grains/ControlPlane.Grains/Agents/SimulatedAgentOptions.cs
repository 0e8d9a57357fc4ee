namespace ControlPlane.Agents;

/// <summary>Settings of the in-process simulated agents (section "ControlPlane:Agents").</summary>
public sealed class SimulatedAgentOptions
{
    public const string Section = "ControlPlane:Agents";

    /// <summary>How long a simulated agent takes to create or delete an instance.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);
}
