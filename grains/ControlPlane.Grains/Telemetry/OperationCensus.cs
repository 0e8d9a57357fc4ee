using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Telemetry;

/// <summary>
/// The operations not yet ended whose grains are active on this silo, kept in memory as their grains write them: gauges
/// of how many are in each state (<c>controlplane.operations.active</c>, tagged with the state) and of the age of the
/// oldest (<c>controlplane.operations.oldest.age</c>, s). Per silo: the cluster's figure is the sum (or the max) over
/// the silos. An operation interrupted by a crash counts again once its reminder reactivates it.
/// </summary>
public sealed class OperationCensus
{
    private readonly ConcurrentDictionary<string, (OperationState State, DateTimeOffset Created)> _live = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public OperationCensus(TimeProvider clock)
    {
        _clock = clock;
        ControlPlaneTelemetry.Meter.CreateObservableGauge("controlplane.operations.active", CountByState, "{operation}",
            "Operations not yet ended, active on this silo, by state");
        ControlPlaneTelemetry.Meter.CreateObservableGauge("controlplane.operations.oldest.age", () => OldestAge().TotalSeconds, "s",
            "Age of the oldest operation not yet ended, active on this silo");
    }

    /// <summary>What storage now holds for the operation: counted while not ended, forgotten once ended.</summary>
    public void Record(OperationInfo operation)
    {
        if (operation.IsTerminal) _live.TryRemove(operation.Id, out _);
        else _live[operation.Id] = (operation.State, operation.CreateTime);
    }

    /// <summary>The operation's grain went away (deactivated): another silo, or a later activation, counts it.</summary>
    public void Forget(string operationId) => _live.TryRemove(operationId, out _);

    public IReadOnlyDictionary<OperationState, int> Counts() =>
        _live.Values.GroupBy(v => v.State).ToDictionary(g => g.Key, g => g.Count());

    public TimeSpan OldestAge() => _live.IsEmpty ? TimeSpan.Zero : _clock.GetUtcNow() - _live.Values.Min(v => v.Created);

    private IEnumerable<Measurement<long>> CountByState()
    {
        var counts = Counts();
        return new[] { OperationState.Pending, OperationState.Running }.Select(state => new Measurement<long>(counts.GetValueOrDefault(state),
            new KeyValuePair<string, object?>(ControlPlaneTelemetry.Tags.State, state.ToString())));
    }
}
