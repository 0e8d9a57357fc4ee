using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Grains.Audit;

namespace ControlPlane.Grains.Tests.Audit;

/// <summary>The audit chain catches every edit an intruder with write access to the records could make.</summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static List<AuditRecord> Chain(int count, AuditCheckpoint? from = null)
    {
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            records.Add(AuditChain.Next(records.LastOrDefault(), from ?? AuditCheckpoint.Genesis, T0.AddSeconds(i),
                new AuditEntry($"ops-{i % 2}", "operator", "idf", "Provisioning/CreateInstance", $"i-{i}", "acme", "allowed", "", "")));
        }
        return records;
    }

    private static Task<AuditVerification> VerifyAsync(IEnumerable<AuditRecord> records, AuditRecord? head = null, AuditCheckpoint? checkpoint = null) =>
        AuditChain.VerifyAsync(checkpoint ?? AuditCheckpoint.Genesis, records.ToAsyncEnumerable(), head);

    [Fact]
    public async Task An_untouched_chain_verifies()
    {
        var chain = Chain(5);
        var verification = await VerifyAsync(chain, chain[^1]);
        Assert.Equal((true, 5L, 1L), (verification.Valid, verification.Checked, verification.FromSequence));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), chain.Select(r => r.Sequence));
    }

    [Fact]
    public async Task An_edited_record_is_named_as_altered()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Entry = chain[2].Entry with { Decision = "denied" } };
        var verification = await VerifyAsync(chain);
        Assert.Equal((false, 3L, "altered"), (verification.Valid, verification.BrokenSequence, verification.Problem));
    }

    [Fact]
    public async Task An_edited_record_whose_hash_was_recomputed_breaks_the_next_link()
    {
        var chain = Chain(5);
        var forged = chain[2].Entry with { Target = "i-other" };
        chain[2] = chain[2] with { Entry = forged, Hash = AuditChain.HashOf(3, chain[2].Time, forged, chain[2].PreviousHash) };
        var verification = await VerifyAsync(chain);
        Assert.Equal((false, 4L, "reordered"), (verification.Valid, verification.BrokenSequence, verification.Problem));
    }

    [Fact]
    public async Task A_removed_record_is_named_as_missing_in_the_middle_and_at_the_end()
    {
        var chain = Chain(5);
        var head = chain[^1];
        var middle = await VerifyAsync(chain.Where(r => r.Sequence != 2), head);
        var tail = await VerifyAsync(chain.Take(3), head);
        Assert.Equal((false, 2L, "missing"), (middle.Valid, middle.BrokenSequence, middle.Problem));
        Assert.Equal((false, 4L, "missing"), (tail.Valid, tail.BrokenSequence, tail.Problem));
    }

    [Fact]
    public async Task Swapped_records_are_named_as_reordered()
    {
        var chain = Chain(5);
        // Swapping two rows' sequence numbers, as an UPDATE on the table would.
        (chain[1], chain[2]) = (chain[2] with { Sequence = 2 }, chain[1] with { Sequence = 3 });
        var verification = await VerifyAsync(chain);
        Assert.False(verification.Valid);
        Assert.Equal(2L, verification.BrokenSequence);
    }

    [Fact]
    public async Task After_pruning_behind_a_checkpoint_the_rest_still_verifies_and_a_gap_after_it_does_not()
    {
        var chain = Chain(6);
        var checkpoint = new AuditCheckpoint(chain[2].Sequence, chain[2].Hash, chain[2].Time);
        var kept = chain.Skip(3).ToList();

        var verification = await VerifyAsync(kept, chain[^1], checkpoint);
        var gap = await VerifyAsync(kept.Skip(1), chain[^1], checkpoint);

        Assert.Equal((true, 3L, 4L), (verification.Valid, verification.Checked, verification.FromSequence));
        Assert.Equal((false, 4L, "missing"), (gap.Valid, gap.BrokenSequence, gap.Problem));
    }

    [Fact]
    public async Task The_store_keeps_appends_and_prunes_behind_a_checkpoint()
    {
        var store = new MemoryAuditStore();
        await store.AppendAsync(Chain(4));
        var all = await store.QueryAsync(new AuditQuery("acme", "ops-1", null, null, 0, 10));
        var last = await store.LastAsync();
        var checkpoint = new AuditCheckpoint(2, all[0].Hash, all[0].Time);
        await store.PruneAsync(checkpoint);

        Assert.Equal([2L, 4L], all.Select(r => r.Sequence));
        Assert.Equal(4L, last!.Sequence);
        Assert.Equal(checkpoint, await store.CheckpointAsync());
        Assert.True((await AuditChain.VerifyAsync(await store.CheckpointAsync(), store.ReadAllAsync(), last)).Valid);
    }

    private static AuditAnchor AnchorOf(AuditRecord head, AuditCheckpoint? checkpoint = null) =>
        new(head.Sequence, head.Hash, (checkpoint ?? AuditCheckpoint.Genesis).Sequence, (checkpoint ?? AuditCheckpoint.Genesis).Hash, T0);

    [Fact]
    public async Task Against_its_anchor_a_chain_cut_short_is_named_as_truncated()
    {
        var chain = Chain(6);
        var anchor = AnchorOf(chain[^1]);
        Assert.True((await AuditChain.VerifyAsync(AuditCheckpoint.Genesis, chain.ToAsyncEnumerable(), null, anchor)).Valid);

        var cut = await AuditChain.VerifyAsync(AuditCheckpoint.Genesis, chain.Take(3).ToAsyncEnumerable(), null, anchor);
        Assert.Equal((false, 4L, AuditChain.Truncated), (cut.Valid, cut.BrokenSequence, cut.Problem));
    }

    [Fact]
    public async Task Against_its_anchor_a_recomputed_chain_is_named_as_rewritten_and_a_forged_checkpoint_as_checkpoint()
    {
        var chain = Chain(4);
        var anchor = AnchorOf(chain[^1]);
        var rewritten = new List<AuditRecord>();
        foreach (var r in chain)
        {
            var entry = r.Sequence == 2 ? r.Entry with { Decision = "denied" } : r.Entry;
            rewritten.Add(AuditChain.Next(rewritten.LastOrDefault(), AuditCheckpoint.Genesis, r.Time, entry));
        }
        Assert.True((await AuditChain.VerifyAsync(AuditCheckpoint.Genesis, rewritten.ToAsyncEnumerable())).Valid);
        var verification = await AuditChain.VerifyAsync(AuditCheckpoint.Genesis, rewritten.ToAsyncEnumerable(), null, anchor);
        Assert.Equal((false, 4L, AuditChain.Rewritten), (verification.Valid, verification.BrokenSequence, verification.Problem));

        var forged = new AuditCheckpoint(2, chain[1].Hash, chain[1].Time);
        Assert.True((await AuditChain.VerifyAsync(forged, chain.Skip(2).ToAsyncEnumerable())).Valid);
        verification = await AuditChain.VerifyAsync(forged, chain.Skip(2).ToAsyncEnumerable(), null, anchor);
        Assert.Equal((false, AuditChain.CheckpointForged), (verification.Valid, verification.Problem));
        Assert.True((await AuditChain.VerifyAsync(forged, chain.Skip(2).ToAsyncEnumerable(), null, AnchorOf(chain[^1], forged))).Valid);
    }
}
