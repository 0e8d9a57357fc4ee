namespace ControlPlane.Domain.Capacity;

public static class PlacementLimits
{
    /// <summary>How many servers one placement asks before the zone answers NO_CAPACITY.</summary>
    public const int MaxAttempts = 8;
}
