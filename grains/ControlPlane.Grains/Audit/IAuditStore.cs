using ControlPlane.Grains.Abstractions.Audit;

namespace ControlPlane.Grains.Audit;

/// <summary>
/// Where audit records are kept: PostgreSQL in durable mode (rows of their own, so a database
/// administrator's edit is caught by verification), memory in the embedded mode. Appends only.
/// </summary>
public interface IAuditStore
{
    /// <summary>Stores the records, consecutive in the chain, all or none.</summary>
    Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The last record kept, or null.</summary>
    Task<AuditRecord?> LastAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every record kept, in storage order by sequence, from the checkpoint on.</summary>
    IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken = default);

    Task<AuditCheckpoint> CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Seals <paramref name="checkpoint"/> and removes the records up to its sequence, together.</summary>
    Task PruneAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default);
}
