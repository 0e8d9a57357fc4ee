using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Grains.Audit;

namespace ControlPlane.Grains.Tests;

/// <summary>
/// The memory audit store, refusing a batch whole (as one database transaction would) when one of its
/// records has a target starting with <see cref="Refused"/>: stands for a row the database will not take.
/// </summary>
public sealed class RefusingAuditStore(MemoryAuditStore inner) : IAuditStore
{
    public const string Refused = "refuse-me";

    public Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default) =>
        records.Any(r => r.Entry.Target.StartsWith(Refused, StringComparison.Ordinal))
            ? throw new InvalidOperationException("row refused by the store")
            : inner.AppendAsync(records, cancellationToken);

    public Task<AuditRecord?> LastAsync(CancellationToken cancellationToken = default) => inner.LastAsync(cancellationToken);

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<AuditRecord> ReadAllAsync(CancellationToken cancellationToken = default) => inner.ReadAllAsync(cancellationToken);

    public Task<AuditCheckpoint> CheckpointAsync(CancellationToken cancellationToken = default) => inner.CheckpointAsync(cancellationToken);

    public Task PruneAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default) => inner.PruneAsync(checkpoint, cancellationToken);
}
