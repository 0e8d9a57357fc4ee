namespace ControlPlane.Gateway;

/// <summary>The gateway's capacity and its retries under silo loss (section "ControlPlane:Gateway"). Validated at start.</summary>
public sealed class GrpcGatewayOptions
{
    public const string Section = "ControlPlane:Gateway";

    /// <summary>Unary API calls this silo's gateway runs at once; more wait in the queue (docs/configuration.md).</summary>
    public int MaxConcurrentCalls { get; set; } = 256;

    /// <summary>Calls that wait for a slot, oldest first; beyond them a call is refused before any work, UNAVAILABLE OVERLOADED.</summary>
    public int QueueLimit { get; set; } = 1024;

    /// <summary>Kestrel's HTTP/2 concurrent streams per connection (its default, 100, resets streams a loaded client opens beyond it).</summary>
    public int MaxStreamsPerConnection { get; set; } = 1000;

    /// <summary>Attempts after the first when a grain call fails because a silo was lost (0: none).</summary>
    public int SiloLossRetries { get; set; } = 3;

    /// <summary>The first backoff before such an attempt; it doubles, with jitter.</summary>
    public TimeSpan SiloLossRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The retry delay an OVERLOADED answer suggests.</summary>
    public TimeSpan OverloadRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public IEnumerable<string> Problems()
    {
        if (MaxConcurrentCalls < 1) yield return $"{Section}:MaxConcurrentCalls is {MaxConcurrentCalls}; expected at least 1";
        if (QueueLimit < 0) yield return $"{Section}:QueueLimit is {QueueLimit}; expected 0 or more";
        if (MaxStreamsPerConnection < 1) yield return $"{Section}:MaxStreamsPerConnection is {MaxStreamsPerConnection}; expected at least 1";
        if (SiloLossRetries is < 0 or > 10) yield return $"{Section}:SiloLossRetries is {SiloLossRetries}; expected 0 to 10";
        if (SiloLossRetryDelay < TimeSpan.Zero || SiloLossRetryDelay > TimeSpan.FromSeconds(5))
            yield return $"{Section}:SiloLossRetryDelay is {SiloLossRetryDelay}; expected 0 to 00:00:05";
        if (OverloadRetryDelay <= TimeSpan.Zero) yield return $"{Section}:OverloadRetryDelay is {OverloadRetryDelay}; expected more than 0";
    }
}
