using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Operations;

namespace ControlPlane.Grains.Tests.Operations;

/// <summary>The operation index's rules on their own: which form of an operation wins, what goes when it is full.</summary>
public sealed class OperationIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static OperationInfo Op(string id, OperationState state, int minute, int updated = 0) =>
        new(id, "r", OperationKind.CreateInstance, state, "i", "t", null, T0.AddMinutes(minute), T0.AddMinutes(minute + updated), null, false);

    [Fact]
    public void A_later_form_replaces_an_earlier_one_and_nothing_replaces_a_finished_one()
    {
        Assert.True(OperationIndexGrain.IsNewer(Op("a", OperationState.Running, 0), Op("a", OperationState.Pending, 0)));
        Assert.True(OperationIndexGrain.IsNewer(Op("a", OperationState.Running, 0, 1), Op("a", OperationState.Running, 0)));
        Assert.False(OperationIndexGrain.IsNewer(Op("a", OperationState.Pending, 0), Op("a", OperationState.Running, 0)));
        Assert.False(OperationIndexGrain.IsNewer(Op("a", OperationState.Running, 0, 5), Op("a", OperationState.Succeeded, 0)));
    }

    [Fact]
    public void When_full_the_oldest_finished_go_first_and_unfinished_stay()
    {
        var byId = new Dictionary<string, OperationInfo>(StringComparer.Ordinal)
        {
            ["old-running"] = Op("old-running", OperationState.Running, 0),
            ["old-done"] = Op("old-done", OperationState.Succeeded, 1),
            ["new-done"] = Op("new-done", OperationState.Failed, 2),
            ["new-pending"] = Op("new-pending", OperationState.Pending, 3),
        };

        OperationIndexGrain.Trim(byId, 3);
        Assert.Equal(["new-done", "new-pending", "old-running"], byId.Keys.Order(StringComparer.Ordinal));
        OperationIndexGrain.Trim(byId, 2);
        Assert.Equal(["new-pending", "old-running"], byId.Keys.Order(StringComparer.Ordinal));
        OperationIndexGrain.Trim(byId, 1);
        Assert.Equal(["new-pending"], byId.Keys);
    }

    [Fact]
    public void Sort_keys_order_newest_first_and_shards_cover_every_index()
    {
        var keys = new[] { Op("b", OperationState.Pending, 0), Op("a", OperationState.Pending, 5), Op("c", OperationState.Pending, 5) }
            .OrderBy(OperationIndex.SortKey, StringComparer.Ordinal).Select(o => o.Id);
        Assert.Equal(["a", "c", "b"], keys);
        var shards = Enumerable.Range(0, 500).Select(i => OperationIndex.ShardOf($"op-{i}")).ToHashSet();
        Assert.Equal(Enumerable.Range(0, OperationIndex.Shards), shards.Order());
    }
}
