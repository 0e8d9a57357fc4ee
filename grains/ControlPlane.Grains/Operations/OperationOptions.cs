namespace ControlPlane.Grains.Operations;

/// <summary>How operations recover (section "ControlPlane:Operations").</summary>
public sealed class OperationOptions
{
    public const string Section = "ControlPlane:Operations";

    /// <summary>
    /// How often each silo wakes its share of the operations storage holds unfinished for longer than this
    /// (<see cref="OperationRecovery"/>), so that one interrupted by a silo crash, a storage failure or a silent agent
    /// resumes and reaches a terminal state.
    /// </summary>
    public TimeSpan RecoveryPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The most unfinished operations one recovery sweep lists (all silos' shares together); beyond it, the next sweep goes
    /// on from where this one stopped.
    /// </summary>
    public int RecoverySweepLimit { get; set; } = 20_000;

    /// <summary>
    /// How long a drain may take: a server not empty by then goes back to CORDONED and its drain operation ends FAILED
    /// (DRAIN_TIMED_OUT), so that a drain whose moves keep failing does not run for ever.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each silo sends the operations' changes to their indexes (ListOperations sees a change this late at most, plus a call).</summary>
    public TimeSpan IndexFlushPeriod { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often an index that changed writes its state (a crash loses at most this much of its view).</summary>
    public TimeSpan IndexWritePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most operations one index (a tenant's, or one of the platform-wide shards) holds.</summary>
    public int IndexCapacity { get; set; } = 2000;
}
