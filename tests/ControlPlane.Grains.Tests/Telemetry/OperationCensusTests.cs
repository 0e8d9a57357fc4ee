using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Tests.Telemetry;

/// <summary>The per-silo census of operations not yet ended: counts by state and the oldest one's age.</summary>
public sealed class OperationCensusTests
{
    private static OperationInfo Op(string id, OperationState state, TimeSpan age) =>
        new(id, "r-" + id, OperationKind.CreateInstance, state, "i-" + id, "acme", null, DateTimeOffset.UtcNow - age, DateTimeOffset.UtcNow, null, false);

    [Fact]
    public void Operations_are_counted_by_state_until_they_end_or_their_grain_goes()
    {
        var census = new OperationCensus(TimeProvider.System);

        census.Record(Op("a", OperationState.Pending, TimeSpan.FromSeconds(1)));
        census.Record(Op("a", OperationState.Running, TimeSpan.FromSeconds(1)));
        census.Record(Op("b", OperationState.Running, TimeSpan.FromSeconds(30)));
        census.Record(Op("c", OperationState.Pending, TimeSpan.FromSeconds(2)));

        Assert.Equal(2, census.Counts()[OperationState.Running]);
        Assert.Equal(1, census.Counts()[OperationState.Pending]);
        Assert.InRange(census.OldestAge().TotalSeconds, 30, 40);

        census.Record(Op("b", OperationState.Succeeded, TimeSpan.FromSeconds(30)));
        census.Forget("c");

        Assert.Equal(OperationState.Running, Assert.Single(census.Counts()).Key);
        Assert.InRange(census.OldestAge().TotalSeconds, 1, 10);
        census.Record(Op("a", OperationState.Failed, TimeSpan.FromSeconds(1)));
        Assert.Empty(census.Counts());
        Assert.Equal(TimeSpan.Zero, census.OldestAge());
    }
}
