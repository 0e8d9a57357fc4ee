namespace ControlPlane.AgentFleet;

/// <summary>The simulated fleet's settings (section "Fleet"); the faults can also be changed at run time.</summary>
public sealed class FleetOptions
{
    public const string Section = "Fleet";

    /// <summary>Address of the fleet's gRPC endpoint (Agent and FleetControl services), host:port.</summary>
    public string Listen { get; set; } = "127.0.0.1:7190";

    public double ErrorRate { get; set; }
    public double TimeoutRate { get; set; }
    public int MinLatencyMs { get; set; } = 1;
    public int MaxLatencyMs { get; set; } = 5;
}
