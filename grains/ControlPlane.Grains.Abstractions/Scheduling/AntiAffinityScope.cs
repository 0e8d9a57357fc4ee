namespace ControlPlane.Grains.Abstractions.Scheduling;

/// <summary>How far apart the instances of an anti-affinity group must be.</summary>
public enum AntiAffinityScope
{
    Unspecified = 0,
    /// <summary>On distinct servers.</summary>
    Server = 1,
    /// <summary>In distinct zones (and so on distinct servers).</summary>
    Zone = 2,
}
