namespace ControlPlane.Domain.DisasterRecovery;

/// <summary>A protected instance a failover or failback still has to move, and how many of its moves were started so far.</summary>
public readonly record struct PendingMove(string InstanceId, int Attempts);
