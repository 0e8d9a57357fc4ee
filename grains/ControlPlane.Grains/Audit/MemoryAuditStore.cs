using System.Runtime.CompilerServices;
using ControlPlane.Grains.Abstractions.Audit;

namespace ControlPlane.Grains.Audit;

/// <summary>The embedded mode's audit store: the chain lives as long as the silo.</summary>
public sealed class MemoryAuditStore : IAuditStore
{
    private readonly List<AuditRecord> _records = [];
    private AuditCheckpoint _checkpoint = AuditCheckpoint.Genesis;
    private readonly Lock _lock = new();

    public Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        lock (_lock) _records.AddRange(records);
        return Task.CompletedTask;
    }

    public Task<AuditRecord?> LastAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_records.Count > 0 ? _records[^1] : null);
    }

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AuditRecord>>([.. _records.Where(r => AuditFilter.Matches(r, query)).Take(query.Limit)]);
        }
    }

    public async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AuditRecord[] copy;
        lock (_lock) copy = [.. _records];
        foreach (var record in copy) yield return record;
        await Task.CompletedTask;
    }

    public Task<AuditCheckpoint> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock) return Task.FromResult(_checkpoint);
    }

    public Task PruneAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _records.RemoveAll(r => r.Sequence <= checkpoint.Sequence);
            _checkpoint = checkpoint;
        }
        return Task.CompletedTask;
    }
}
