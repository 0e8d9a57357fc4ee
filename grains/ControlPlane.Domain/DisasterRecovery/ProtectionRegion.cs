namespace ControlPlane.Domain.DisasterRecovery;

/// <summary>The production region whose disaster-recovery grain holds an instance's protection.</summary>
public static class ProtectionRegion
{
    /// <summary>The region the instance returns to while it runs failed over (<paramref name="homeRegion"/> set), otherwise the one it runs in.</summary>
    public static string Of(string region, string homeRegion) => homeRegion.Length > 0 ? homeRegion : region;
}
