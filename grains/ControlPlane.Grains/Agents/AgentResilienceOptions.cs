namespace ControlPlane.Agents;

/// <summary>How agent calls are retried (section "ControlPlane:Agents:Resilience").</summary>
public sealed class AgentResilienceOptions
{
    public const string Section = "ControlPlane:Agents:Resilience";

    /// <summary>Time allowed for one agent call.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a failed call (transient failures only), with jittered exponential backoff.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
