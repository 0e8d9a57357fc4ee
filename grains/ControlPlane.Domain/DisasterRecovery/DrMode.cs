namespace ControlPlane.Domain.DisasterRecovery;

/// <summary>Where a production region stands with its disaster-recovery region.</summary>
public enum DrMode
{
    /// <summary>Serving; its protected instances hold reservations in the disaster-recovery region.</summary>
    Normal = 1,
    /// <summary>A failover runs: protected instances are re-created in the disaster-recovery region.</summary>
    FailingOver = 2,
    /// <summary>Its protected instances run in the disaster-recovery region; nothing new is placed in it.</summary>
    FailedOver = 3,
    /// <summary>A failback runs: the instances return to the region.</summary>
    FailingBack = 4,
}
