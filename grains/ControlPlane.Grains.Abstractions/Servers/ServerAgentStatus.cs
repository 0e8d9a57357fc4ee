namespace ControlPlane.Grains.Abstractions.Servers;

/// <summary>
/// What the control plane last saw of a server's agent: whether it answered, when, and the state of
/// the circuit breaker in front of it ("closed", "open", "half_open", or "unused" before any call).
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.ServerAgentStatus")]
public sealed record ServerAgentStatus(
    [property: Id(0)] bool Reachable,
    [property: Id(1)] DateTimeOffset? LastContact,
    [property: Id(2)] DateTimeOffset? UnreachableSince,
    [property: Id(3)] string LastError,
    [property: Id(4)] string Circuit)
{
    public static readonly ServerAgentStatus Unknown = new(true, null, null, "", "unused");
}
