namespace ControlPlane.Grains.Agents;

/// <summary>
/// Where agents are (section "ControlPlane:Agents"): <c>Endpoint</c>, the gRPC address of the agents
/// (a real agent endpoint or the simulated fleet); when it is empty, agents are simulated in process.
/// </summary>
public sealed class SimulatedAgentOptions
{
    public const string Section = "ControlPlane:Agents";

    public string Endpoint { get; set; } = "";

    /// <summary>How long an in-process simulated agent takes to create or delete an instance.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);
}
