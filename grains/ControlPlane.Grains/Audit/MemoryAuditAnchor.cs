namespace ControlPlane.Grains.Audit;

/// <summary>The embedded mode's anchor: kept beside the in-memory log, for as long as the silo runs.</summary>
public sealed class MemoryAuditAnchor : IAuditAnchor
{
    private AuditAnchor? _anchor;

    public bool Enabled => true;

    public Task<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult(Volatile.Read(ref _anchor));

    public Task WriteAsync(AuditAnchor anchor, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _anchor, anchor);
        return Task.CompletedTask;
    }
}
