namespace ControlPlane.Grains.Audit;

/// <summary>An anchor that cannot be trusted: unreadable, or signed with another key (or not signed at all).</summary>
public sealed class AuditAnchorException(string message) : Exception(message);
