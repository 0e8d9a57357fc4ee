using ControlPlane.Domain.Audit;

namespace ControlPlane.Domain.Tests.Audit;

public sealed class ChainHashTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_record_hashes_the_same_and_any_change_changes_the_hash()
    {
        var hash = ChainHash.Of(7, At, ["op:alice", "operator", "created"], "prev");

        Assert.Equal(hash, ChainHash.Of(7, At, ["op:alice", "operator", "created"], "prev"));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.NotEqual(hash, ChainHash.Of(8, At, ["op:alice", "operator", "created"], "prev"));
        Assert.NotEqual(hash, ChainHash.Of(7, At.AddTicks(1), ["op:alice", "operator", "created"], "prev"));
        Assert.NotEqual(hash, ChainHash.Of(7, At, ["op:alice", "operator", "deleted"], "prev"));
        Assert.NotEqual(hash, ChainHash.Of(7, At, ["op:alice", "operator", "created"], "other"));
    }

    [Fact]
    public void Fields_are_length_prefixed_so_moving_a_separator_changes_the_hash() =>
        Assert.NotEqual(ChainHash.Of(1, At, ["ab", "c"], ""), ChainHash.Of(1, At, ["a", "bc"], ""));

    [Fact]
    public void The_time_counts_in_utc() =>
        Assert.Equal(ChainHash.Of(1, At, ["x"], ""), ChainHash.Of(1, At.ToOffset(TimeSpan.FromHours(2)), ["x"], ""));
}
