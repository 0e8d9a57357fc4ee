namespace ControlPlane.Grains.Operations;

/// <summary>How operations recover (section "ControlPlane:Operations").</summary>
public sealed class OperationOptions
{
    public const string Section = "ControlPlane:Operations";

    /// <summary>
    /// How often a durable reminder wakes an unfinished operation, so that one interrupted by a
    /// silo crash resumes on another silo and reaches a terminal state.
    /// </summary>
    public TimeSpan RecoveryPeriod { get; set; } = TimeSpan.FromSeconds(15);
}
