namespace ControlPlane.Domain.Servers;

/// <summary>
/// What the control plane knows of a server's agent: whether it answered last, when it last did, since
/// when it has not, and its last error. Kept in memory only: a new activation starts reachable and
/// learns the truth at the next probe.
/// </summary>
public sealed record AgentReachability(bool Reachable, DateTimeOffset? LastContact, DateTimeOffset? UnreachableSince, string LastError)
{
    public static AgentReachability Unknown { get; } = new(true, null, null, "");

    public AgentReachability Answered(DateTimeOffset at) => new(true, at, null, "");

    /// <summary>A call that did not get through; silence is counted from the first one that failed.</summary>
    public AgentReachability Unanswered(DateTimeOffset since, string error) =>
        this with { Reachable = false, UnreachableSince = UnreachableSince ?? since, LastError = error };

    public bool SilentFor(TimeSpan span, DateTimeOffset now) => UnreachableSince is { } since && now - since >= span;
}
