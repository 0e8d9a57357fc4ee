namespace ControlPlane.Grains.Audit;

/// <summary>ControlPlane:Audit — how long audit records are kept (SecNumCloud 12.6.c asks for at least six months).</summary>
public sealed class AuditOptions
{
    public const string Section = "ControlPlane:Audit";

    /// <summary>Records older than this are pruned behind a sealed checkpoint; verification still holds.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(183);

    /// <summary>How often the retention is applied.</summary>
    public TimeSpan PrunePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Durable mode: the file on the silos' host where the chain's signed head is kept, outside the database (docs/audit.md).</summary>
    public string AnchorFile { get; set; } = "";

    /// <summary>Durable mode: the key (at least 32 bytes, file mode 600) the head is signed with (HMAC-SHA256); the database never sees it.</summary>
    public string AnchorKeyFile { get; set; } = "";
}
