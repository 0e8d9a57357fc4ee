namespace ControlPlane.Grains.Abstractions.Events;

/// <summary>What an event of the platform's event log records.</summary>
public enum PlatformEventKind
{
    /// <summary>No active silo of an ops centre remains: the other centres host its regions' grains.</summary>
    OpsCentreTakeover = 1,
    /// <summary>A silo of an ops centre that had been taken over is active again: its regions' grains move back to it.</summary>
    OpsCentreReturn = 2,
}
