namespace ControlPlane.Domain.DisasterRecovery;

/// <summary>
/// One instance's step towards where a failover or failback wants it: <see cref="Moved"/> once it runs
/// there; <see cref="Attempted"/> when a move was started (or refused) this step, with the refusal in
/// <see cref="Error"/>; an error alone when there is nothing left to try; neither while it is busy.
/// </summary>
public sealed record FailoverStep(string InstanceId, bool Moved, bool Attempted, string? Error)
{
    public static FailoverStep Arrived(string instanceId) => new(instanceId, true, false, null);

    /// <summary>Moving (a move in flight) or being created: looked at again at the next step.</summary>
    public static FailoverStep Busy(string instanceId) => new(instanceId, false, false, null);

    public static FailoverStep Started(string instanceId, string? error) => new(instanceId, false, true, error);

    public static FailoverStep Hopeless(string instanceId, string error) => new(instanceId, false, false, error);
}
