using ControlPlane.Domain.Audit;
using ControlPlane.Grains.Abstractions.Audit;

namespace ControlPlane.Grains.Audit;

/// <summary>The hash chain of the audit log: how a record's hash is computed, and how the chain is checked.</summary>
public static class AuditChain
{
    /// <summary>The record's hash: see <see cref="ChainHash.Of"/>.</summary>
    public static string HashOf(long sequence, DateTimeOffset time, AuditEntry e, string previousHash) =>
        ChainHash.Of(sequence, time, [e.Principal, e.Role, e.OpsCentre, e.Action, e.Target, e.TenantId, e.Decision, e.Reason, e.TraceId], previousHash);

    public static AuditRecord Next(AuditRecord? last, AuditCheckpoint checkpoint, DateTimeOffset now, AuditEntry entry)
    {
        var sequence = (last?.Sequence ?? checkpoint.Sequence) + 1;
        var previous = last?.Hash ?? checkpoint.Hash;
        // Time never goes backwards along the chain, whatever the clock does; microseconds, as PostgreSQL keeps it.
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        var time = last is not null && last.Time > now ? last.Time : now;
        return new AuditRecord(sequence, time, entry, previous, HashOf(sequence, time, entry, previous));
    }

    /// <summary>Problems found against the anchor (besides "altered", "missing", "reordered").</summary>
    public const string Truncated = "truncated", Rewritten = "rewritten", CheckpointForged = "checkpoint", AnchorInvalid = "anchor";

    /// <summary>
    /// Checks records read in sequence order from <paramref name="checkpoint"/>; names the first one that is not where or what it
    /// should be. With an <paramref name="anchor"/> (read before the records), the checkpoint must be the one it names, the record
    /// at its sequence must have its hash, and the chain must reach it.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(AuditCheckpoint checkpoint, IAsyncEnumerable<AuditRecord> records, AuditRecord? head = null,
        AuditAnchor? anchor = null)
    {
        var expectedSequence = checkpoint.Sequence + 1;
        var expectedPrevious = checkpoint.Hash;
        long checkedCount = 0;
        AuditVerification Broken(long sequence, string problem, string message) =>
            new(false, checkedCount, checkpoint.Sequence + 1, sequence, problem, message);

        if (anchor is not null && (checkpoint.Sequence != anchor.CheckpointSequence || checkpoint.Hash != anchor.CheckpointHash))
        {
            return Broken(checkpoint.Sequence, CheckpointForged,
                $"the retention checkpoint (sequence {checkpoint.Sequence}) is not the one the signed anchor of {anchor.Time:O} names " +
                $"(sequence {anchor.CheckpointSequence}): records were removed from the start and a checkpoint written outside the control plane");
        }
        await foreach (var r in records)
        {
            if (r.Sequence > expectedSequence)
            {
                return Broken(expectedSequence, "missing",
                    $"records {expectedSequence} to {r.Sequence - 1} are missing (the next kept is {r.Sequence})");
            }
            if (r.Sequence < expectedSequence)
            {
                return Broken(r.Sequence, "reordered", $"record {r.Sequence} appears after record {expectedSequence - 1}");
            }
            if (HashOf(r.Sequence, r.Time, r.Entry, r.PreviousHash) != r.Hash)
            {
                return Broken(r.Sequence, "altered", $"record {r.Sequence} does not match its hash: its content was changed");
            }
            if (r.PreviousHash != expectedPrevious)
            {
                return Broken(r.Sequence, "reordered",
                    $"record {r.Sequence} does not follow record {r.Sequence - 1}: the chain was rewritten or reordered from here");
            }
            if (anchor is not null && r.Sequence == anchor.Sequence && r.Hash != anchor.Hash)
            {
                return Broken(r.Sequence, Rewritten,
                    $"record {r.Sequence} is not the one the signed anchor of {anchor.Time:O} names: the chain up to it was rewritten and its hashes recomputed");
            }
            expectedPrevious = r.Hash;
            expectedSequence++;
            checkedCount++;
        }
        if (head is not null && head.Sequence >= expectedSequence)
        {
            return Broken(expectedSequence, "missing", $"records {expectedSequence} to {head.Sequence} were removed from the end");
        }
        if (anchor is not null && anchor.Sequence >= expectedSequence)
        {
            return Broken(expectedSequence, Truncated,
                $"records {expectedSequence} to {anchor.Sequence} were removed from the end: the log stops at {expectedSequence - 1}, the signed anchor of {anchor.Time:O} names {anchor.Sequence}");
        }
        return new AuditVerification(true, checkedCount, checkpoint.Sequence + 1, 0, "", $"{checkedCount} records checked from sequence {checkpoint.Sequence + 1}");
    }
}
