namespace ControlPlane.Grains.Abstractions.Scheduling;

/// <summary>The one rule for the anti-affinity scope an instance keeps, applied by the gateway and by the grains.</summary>
public static class AntiAffinity
{
    /// <summary>
    /// No scope without a group; with a group, distinct zones when asked for, otherwise distinct
    /// servers (what a group named without a scope means).
    /// </summary>
    public static AntiAffinityScope ScopeOf(string group, AntiAffinityScope requested) =>
        group.Length == 0 ? AntiAffinityScope.Unspecified
        : requested == AntiAffinityScope.Zone ? AntiAffinityScope.Zone : AntiAffinityScope.Server;
}
