namespace ControlPlane.Grains.Audit;

/// <summary>
/// Where the audit chain's head is anchored: a signed file on the silos' host in durable mode
/// (ControlPlane:Audit:AnchorFile and AnchorKeyFile), memory in the embedded mode (the log lives there too).
/// </summary>
public interface IAuditAnchor
{
    /// <summary>Whether heads are anchored at all (false in a durable silo given no anchor file).</summary>
    bool Enabled { get; }

    /// <summary>The newest anchor, or null when none was written yet.</summary>
    /// <exception cref="AuditAnchorException">The anchor is unreadable or its signature does not hold.</exception>
    Task<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the anchor, whole or not at all.</summary>
    Task WriteAsync(AuditAnchor anchor, CancellationToken cancellationToken = default);
}
