namespace ControlPlane.Grains.Agents;

/// <summary>How agent calls are retried and broken off (section "ControlPlane:Agents:Resilience").</summary>
public sealed class AgentResilienceOptions
{
    public const string Section = "ControlPlane:Agents:Resilience";

    /// <summary>Time allowed for one agent call.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a failed call (transient failures only), with jittered exponential backoff.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The breaker of a server opens when this share of its calls failed in the sampling window... (high
    /// enough that scattered transient errors, e.g. 20 %, never open it; a dead server fails them all)
    /// </summary>
    public double BreakerFailureRatio { get; set; } = 0.8;

    /// <summary>...among at least this many calls...</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>...and stays open this long before one trial call is let through.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Calls in flight to one server's agent at a time (each attempt holds one)...</summary>
    public int MaxConcurrentCallsPerAgent { get; set; } = 8;

    /// <summary>...and calls waiting for their turn; beyond that an attempt is refused and retried later.</summary>
    public int MaxQueuedCallsPerAgent { get; set; } = 256;
}
