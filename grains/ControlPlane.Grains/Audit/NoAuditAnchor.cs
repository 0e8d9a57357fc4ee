namespace ControlPlane.Grains.Audit;

/// <summary>A durable silo given no anchor file: the chain is checked against the database alone (a warning says so at start).</summary>
public sealed class NoAuditAnchor : IAuditAnchor
{
    public bool Enabled => false;

    public Task<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult<AuditAnchor?>(null);

    public Task WriteAsync(AuditAnchor anchor, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
