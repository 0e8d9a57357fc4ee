namespace ControlPlane.Grains.Audit;

/// <summary>ControlPlane:Audit — how long audit records are kept (SecNumCloud 12.6.c asks for at least six months).</summary>
public sealed class AuditOptions
{
    public const string Section = "ControlPlane:Audit";

    /// <summary>Records older than this are pruned behind a sealed checkpoint; verification still holds.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(183);

    /// <summary>How often the retention is applied.</summary>
    public TimeSpan PrunePeriod { get; set; } = TimeSpan.FromHours(1);
}
