namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>The privileged operations that need a second, different, authorised principal (four-eyes).</summary>
public enum ApprovalAction
{
    DecommissionServer = 1,
    /// <summary>Draining a whole zone out of service (RetireZone).</summary>
    RetireZone = 2,
    ExportTenant = 3,
    UnsealPlatform = 4,
    /// <summary>Time-bounded access to a tenant's resources without the tenant's approval, flagged for review.</summary>
    BreakGlass = 5,
    Failover = 6,
}
