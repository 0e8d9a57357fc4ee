namespace ControlPlane.Domain.Servers;

/// <summary>What an operator (or the reconciler, for <see cref="MarkFailed"/>) asks of a server's lifecycle.</summary>
public enum ServerLifecycleCommand
{
    Cordon = 1,
    Uncordon = 2,
    Drain = 3,
    MarkFailed = 4,
    Decommission = 5,
    Commission = 6,
}
