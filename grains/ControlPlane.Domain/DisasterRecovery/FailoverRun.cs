using System.Collections.Immutable;

namespace ControlPlane.Domain.DisasterRecovery;

/// <summary>
/// The bookkeeping of a failover (or, <see cref="Failover"/> false, a failback): <see cref="Done"/> of
/// <see cref="Total"/> protected instances run where they should, <see cref="Failed"/> were given up
/// (instance id → last error), <see cref="Pending"/> are still to move, in the order they are taken,
/// and <see cref="Lost"/> are the unprotected instances a failover leaves behind (once
/// <see cref="LostListed"/>). Each method returns the next value; the run ends when nothing is pending
/// and the lost are listed.
/// </summary>
public sealed record FailoverRun(
    bool Failover,
    string Actor,
    string Reason,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    int Total,
    int Done,
    ImmutableDictionary<string, string> Failed,
    ImmutableArray<string> Lost,
    bool LostListed,
    ImmutableArray<PendingMove> Pending)
{
    /// <summary>A failback leaves nothing behind, so it has no lost instances to list.</summary>
    public static FailoverRun Start(bool failover, string actor, string reason, DateTimeOffset now, IEnumerable<string> instanceIds)
    {
        ImmutableArray<PendingMove> pending = [.. instanceIds.Select(id => new PendingMove(id, 0))];
        return new(failover, actor, reason, now, null, pending.Length, 0, ImmutableDictionary<string, string>.Empty, [], !failover, pending);
    }

    public bool Finished => EndTime is not null;

    public DrMode Phase => (Failover, Finished) switch
    {
        (true, false) => DrMode.FailingOver,
        (true, true) => DrMode.FailedOver,
        (false, false) => DrMode.FailingBack,
        (false, true) => DrMode.Normal,
    };

    public FailoverRun WithLost(ImmutableArray<string> lost) => this with { Lost = lost, LostListed = true };

    /// <summary>The instances the next step moves, at most <paramref name="parallelism"/>, in order.</summary>
    public IEnumerable<string> NextBatch(int parallelism) => Pending.Take(parallelism).Select(p => p.InstanceId);

    /// <summary>
    /// Counts what a step did: an instance that arrived is done; one with nothing left to try, or whose
    /// move was started <paramref name="maxAttempts"/> times, is given up; the others stay pending.
    /// </summary>
    public FailoverRun After(IEnumerable<FailoverStep> steps, int maxAttempts, DateTimeOffset now)
    {
        var byId = steps.ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
        var done = Done;
        var failed = Failed;
        var pending = ImmutableArray.CreateBuilder<PendingMove>(Pending.Length);
        foreach (var move in Pending)
        {
            if (!byId.TryGetValue(move.InstanceId, out var step))
            {
                pending.Add(move);
            }
            else if (step.Moved)
            {
                done++;
            }
            else if (step.Error is { } error && !step.Attempted)
            {
                failed = failed.SetItem(move.InstanceId, error);
            }
            else if (step.Attempted && move.Attempts + 1 >= maxAttempts)
            {
                failed = failed.SetItem(move.InstanceId, step.Error ?? $"not moved after {maxAttempts} attempts");
            }
            else
            {
                pending.Add(step.Attempted ? move with { Attempts = move.Attempts + 1 } : move);
            }
        }
        var finished = pending.Count == 0 && LostListed;
        return this with { Done = done, Failed = failed, Pending = pending.DrainToImmutable(), EndTime = finished ? now : null };
    }
}
