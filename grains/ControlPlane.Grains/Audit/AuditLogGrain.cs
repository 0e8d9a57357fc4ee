using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Domain.Audit;
using ControlPlane.Grains.Abstractions.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Audit;

/// <summary>
/// The audit log's single writer. Appends are chained one after another and each is written to the
/// store before its call returns; appends that arrive while a write is under way are written together
/// next, in one statement (a group commit), so the log keeps up with every silo's gateways at the
/// cost of one database commit per batch, not per record. After each commit the chain's head is anchored
/// outside the database (<see cref="IAuditAnchor"/>); the next record never takes a sequence an anchor
/// names, even when the database lost or dropped the newest rows. Retention runs on a timer.
/// </summary>
public sealed partial class AuditLogGrain(IAuditStore store, IAuditAnchor anchor, TimeProvider clock, IOptions<AuditOptions> options, ILogger<AuditLogGrain> logger)
    : Grain, IAuditLogGrain
{
    /// <summary>One more than the API's largest page: the gateway asks for one extra record to know whether another page follows.</summary>
    public const int MaxPage = 1001;

    /// <summary>The most records one write carries.</summary>
    public const int MaxBatch = 256;

    /// <summary>The last record stored: the next batch chains from it.</summary>
    private AuditRecord? _last;
    private AuditCheckpoint _checkpoint = AuditCheckpoint.Genesis;

    /// <summary>The newest head anchored (read at activation, then written at every commit): the chain never goes back behind it.</summary>
    private AuditAnchor? _anchored;
    private readonly List<Pending> _queue = [];
    private bool _writing;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _last = await store.LastAsync(cancellationToken);
        _checkpoint = await store.CheckpointAsync(cancellationToken);
        var unreadable = false;
        try
        {
            _anchored = await anchor.ReadAsync(cancellationToken);
        }
        catch (AuditAnchorException e)
        {
            // Verification reports it; the log goes on from the database meanwhile.
            LogAnchorUnreadable(logger, e.Message);
            unreadable = true;
        }
        // The first anchor of a log that had none (a new anchor file): the database's head as found.
        if (_anchored is null && !unreadable && anchor.Enabled && _last is { } found) await AnchorAsync(found);
        if (_anchored is { } a)
        {
            if (a.Sequence > StoredHead) LogBehindAnchor(logger, StoredHead, a.Sequence);
            // The database's checkpoint is never taken over unless it is the anchored one: a forged one stays reported.
            if (_checkpoint.Sequence != a.CheckpointSequence || _checkpoint.Hash != a.CheckpointHash)
            {
                LogCheckpointNotAnchored(logger, _checkpoint.Sequence, a.CheckpointSequence);
                _checkpoint = new AuditCheckpoint(a.CheckpointSequence, a.CheckpointHash, null);
            }
        }
        this.RegisterGrainTimer(() => ApplyRetentionAsync(), options.Value.PrunePeriod, options.Value.PrunePeriod);
    }

    public Task<AuditRecord> AppendAsync(AuditEntry entry)
    {
        var pending = new Pending(Clean(entry), clock.GetUtcNow());
        _queue.Add(pending);
        if (!_writing)
        {
            _writing = true;
            WriteQueuedAsync().Ignore();
        }
        return pending.Done.Task;
    }

    /// <summary>Writes the queue, batch after batch, until it is empty. Runs on the grain's own scheduler.</summary>
    private async Task WriteQueuedAsync()
    {
        try
        {
            while (_queue.Count > 0)
            {
                var batch = _queue.GetRange(0, Math.Min(MaxBatch, _queue.Count));
                _queue.RemoveRange(0, batch.Count);
                await WriteAsync(batch);
            }
        }
        finally
        {
            _writing = false;
        }
    }

    /// <summary>
    /// Chains the batch from the last stored record and stores it whole. When a batch of several is
    /// refused, its records are tried one by one, so one record the store refuses fails only its own
    /// caller; a caller whose record is not stored gets AUDIT_UNAVAILABLE, never the store's exception.
    /// </summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        if (await TryWriteAsync(batch) || batch.Count == 1) return;
        foreach (var pending in batch) await TryWriteAsync([pending]);
    }

    private async Task<bool> TryWriteAsync(List<Pending> batch)
    {
        var records = new List<AuditRecord>(batch.Count);
        var (last, from) = ChainFrom();
        foreach (var pending in batch)
        {
            last = AuditChain.Next(last, from, pending.Time, pending.Entry);
            records.Add(last);
        }
        Exception? refused = null;
        try
        {
            await store.AppendAsync(records);
        }
        catch (Exception e)
        {
            refused = e;
        }
        // A commit whose answer was lost may still have stored the batch: the store's last record says.
        if (refused is not null && !await StoredAnywayAsync(records[^1]))
        {
            if (batch.Count > 1)
            {
                LogBatchRefused(logger, refused, batch.Count);
                return false;
            }
            LogRecordRefused(logger, refused, batch[0].Entry.Action, batch[0].Entry.Target);
            batch[0].Done.TrySetException(Failures.AuditUnavailable(batch[0].Entry.Action));
            return true;
        }
        _last = last;
        await AnchorAsync(last!);
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(records[i]);
        return true;
    }

    /// <summary>The sequence of the newest record the database holds (or of its checkpoint).</summary>
    private long StoredHead => _last?.Sequence ?? _checkpoint.Sequence;

    /// <summary>
    /// Where the next record chains from: the last stored record, or the anchored head when the database
    /// is behind it (its newest rows were lost or removed), so that no sequence is ever given twice. A stored
    /// head at the anchored sequence with another hash (a recomputed chain) is not chained from either.
    /// </summary>
    private (AuditRecord? Last, AuditCheckpoint From) ChainFrom() =>
        _anchored is { } a && (a.Sequence > StoredHead || (a.Sequence == StoredHead && a.Hash != (_last?.Hash ?? _checkpoint.Hash)))
            ? (null, new AuditCheckpoint(a.Sequence, a.Hash, a.Time)) : (_last, _checkpoint);

    /// <summary>Anchors the head after a commit or a prune. A failure is logged, not passed on: the records are stored.</summary>
    private async Task AnchorAsync(AuditRecord head)
    {
        // A prune after the database lost its newest rows keeps the anchored head: the anchor never goes back.
        var (sequence, hash) = _anchored is { } a && a.Sequence > head.Sequence ? (a.Sequence, a.Hash) : (head.Sequence, head.Hash);
        var anchored = new AuditAnchor(sequence, hash, _checkpoint.Sequence, _checkpoint.Hash, clock.GetUtcNow());
        _anchored = anchored;
        try
        {
            await anchor.WriteAsync(anchored);
        }
        catch (Exception e)
        {
            LogAnchorFailed(logger, e, head.Sequence);
        }
    }

    /// <summary>Reads the store's last record again after a failed write (so the chain goes on from what is really stored); true when it is <paramref name="expected"/>.</summary>
    private async Task<bool> StoredAnywayAsync(AuditRecord expected)
    {
        try
        {
            _last = await store.LastAsync();
        }
        catch (Exception)
        {
            return false;
        }
        return _last?.Hash == expected.Hash;
    }

    /// <summary>What is stored is what is hashed: every field escaped and bounded (<see cref="AuditText"/>).</summary>
    private static AuditEntry Clean(AuditEntry e) => new(
        AuditText.Clean(e.Principal), AuditText.Clean(e.Role), AuditText.Clean(e.OpsCentre), AuditText.Clean(e.Action),
        AuditText.Clean(e.Target), AuditText.Clean(e.TenantId), AuditText.Clean(e.Decision), AuditText.Clean(e.Reason), AuditText.Clean(e.TraceId));

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log's anchor cannot be trusted ({Problem}); verification reports it")]
    private static partial void LogAnchorUnreadable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log in the database ends at sequence {Stored} but its anchor names {Anchored}: records were removed; new records continue after the anchor")]
    private static partial void LogBehindAnchor(ILogger logger, long stored, long anchored);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log's checkpoint in the database (sequence {Stored}) is not the anchored one ({Anchored}): the anchored one is kept")]
    private static partial void LogCheckpointNotAnchored(ILogger logger, long stored, long anchored);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log's head (sequence {Sequence}) could not be anchored")]
    private static partial void LogAnchorFailed(ILogger logger, Exception exception, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit store refused a batch of {Count} records; storing them one by one")]
    private static partial void LogBatchRefused(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit store refused the record of {Action} on {Target}; its caller is answered AUDIT_UNAVAILABLE")]
    private static partial void LogRecordRefused(ILogger logger, Exception exception, string action, string target);

    public async Task<ImmutableArray<AuditRecord>> ListAsync(AuditQuery query) =>
        [.. await store.QueryAsync(query with { Limit = Math.Clamp(query.Limit, 1, MaxPage) })];

    public async Task<AuditVerification> VerifyAsync()
    {
        // The anchor first: a commit landing meanwhile only adds records after it.
        AuditAnchor? anchored;
        try
        {
            anchored = await anchor.ReadAsync();
        }
        catch (AuditAnchorException e)
        {
            return new AuditVerification(false, 0, _checkpoint.Sequence + 1, 0, AuditChain.AnchorInvalid, $"the audit log's anchor cannot be trusted: {e.Message}");
        }
        return await AuditChain.VerifyAsync(await store.CheckpointAsync(), store.ReadAllAsync(), _last, anchored);
    }

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
        if (_last is { } head) await AnchorAsync(head);
        return checkpoint;
    }

    private Task ApplyRetentionAsync() => PruneAsync(clock.GetUtcNow() - options.Value.Retention);

    private sealed record Pending(AuditEntry Entry, DateTimeOffset Time)
    {
        public TaskCompletionSource<AuditRecord> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
