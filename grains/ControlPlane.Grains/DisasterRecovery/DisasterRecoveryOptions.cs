namespace ControlPlane.Grains.DisasterRecovery;

/// <summary>ControlPlane:DisasterRecovery — how protection and failovers are paced.</summary>
public sealed class DisasterRecoveryOptions
{
    public const string Section = "ControlPlane:DisasterRecovery";

    /// <summary>How often missing reservations are retried, and a running failover or failback advances.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many instances one step of a failover or failback moves at once.</summary>
    public int Parallelism { get; set; } = 64;

    /// <summary>How many times an instance's move is tried before the run gives up on it.</summary>
    public int MaxAttempts { get; set; } = 20;
}
