using System.Collections.Immutable;
using ControlPlane.Audit;
using ControlPlane.Model;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains;

/// <summary>
/// The audit log's single writer. Not reentrant: appends are chained one after another, each
/// written to the store before the call returns. Retention runs on a timer.
/// </summary>
public sealed class AuditLogGrain(IAuditStore store, TimeProvider clock, IOptions<AuditOptions> options) : Grain, IAuditLogGrain
{
    /// <summary>One more than the API's largest page: the gateway asks for one extra record to know whether another page follows.</summary>
    public const int MaxPage = 1001;

    private AuditRecord? _last;
    private AuditCheckpoint _checkpoint = AuditCheckpoint.Genesis;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _last = await store.LastAsync(cancellationToken);
        _checkpoint = await store.CheckpointAsync(cancellationToken);
        this.RegisterGrainTimer(() => ApplyRetentionAsync(), options.Value.PrunePeriod, options.Value.PrunePeriod);
    }

    public async Task<AuditRecord> AppendAsync(AuditEntry entry)
    {
        var record = AuditChain.Next(_last, _checkpoint, clock.GetUtcNow(), entry);
        await store.AppendAsync(record);
        _last = record;
        return record;
    }

    public async Task<ImmutableArray<AuditRecord>> ListAsync(AuditQuery query) =>
        [.. await store.QueryAsync(query with { Limit = Math.Clamp(query.Limit, 1, MaxPage) })];

    public async Task<AuditVerification> VerifyAsync() =>
        await AuditChain.VerifyAsync(await store.CheckpointAsync(), store.ReadAllAsync(), _last);

    public async Task<AuditCheckpoint> PruneAsync(DateTimeOffset before)
    {
        AuditRecord? newest = null;
        await foreach (var record in store.ReadAllAsync())
        {
            if (record.Time >= before) break;
            newest = record;
        }
        if (newest is null) return _checkpoint;
        var checkpoint = new AuditCheckpoint(newest.Sequence, newest.Hash, newest.Time);
        await store.PruneAsync(checkpoint);
        _checkpoint = checkpoint;
        return checkpoint;
    }

    private Task ApplyRetentionAsync() => PruneAsync(clock.GetUtcNow() - options.Value.Retention);
}
