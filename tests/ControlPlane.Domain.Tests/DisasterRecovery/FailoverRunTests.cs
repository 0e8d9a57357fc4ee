using System.Collections.Immutable;
using ControlPlane.Domain.DisasterRecovery;

namespace ControlPlane.Domain.Tests.DisasterRecovery;

/// <summary>The bookkeeping of a failover or failback, step by step, without a cluster.</summary>
public sealed class FailoverRunTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FailoverRun Failover(params string[] ids) => FailoverRun.Start(true, "drill", "yearly", T0, ids);

    [Fact]
    public void A_failover_starts_with_every_protected_instance_pending_and_its_lost_instances_to_list()
    {
        var run = Failover("a", "b", "c");

        Assert.Equal((3, 0, DrMode.FailingOver, false, false), (run.Total, run.Done, run.Phase, run.LostListed, run.Finished));
        Assert.Equal<PendingMove>([new PendingMove("a", 0), new PendingMove("b", 0), new PendingMove("c", 0)], run.Pending);
        Assert.Empty(run.Failed);
        Assert.Empty(run.Lost);
        Assert.Equal(["a", "b"], run.NextBatch(2));
    }

    [Fact]
    public void A_failback_has_nothing_to_list_and_an_empty_one_ends_at_its_first_step()
    {
        var run = FailoverRun.Start(false, "ops", "repaired", T0, []);
        var ended = run.After([], 20, T0.AddSeconds(1));

        Assert.Equal((DrMode.FailingBack, true), (run.Phase, run.LostListed));
        Assert.Equal((DrMode.Normal, true, T0.AddSeconds(1)), (ended.Phase, ended.Finished, ended.EndTime));
    }

    [Fact]
    public void A_step_counts_arrivals_gives_up_hopeless_instances_and_keeps_the_others_pending_in_order()
    {
        var run = Failover("arrived", "gone", "busy", "started", "refused", "untouched");

        var next = run.After(
        [
            FailoverStep.Arrived("arrived"),
            FailoverStep.Hopeless("gone", "the instance no longer exists"),
            FailoverStep.Busy("busy"),
            FailoverStep.Started("started", null),
            FailoverStep.Started("refused", "NO_CAPACITY: full"),
        ], 20, T0.AddSeconds(1));

        Assert.Equal(1, next.Done);
        Assert.Equal(ImmutableDictionary<string, string>.Empty.Add("gone", "the instance no longer exists"), next.Failed);
        Assert.Equal<PendingMove>([new("busy", 0), new("started", 1), new("refused", 1), new("untouched", 0)], next.Pending);
        Assert.Equal((DrMode.FailingOver, null), (next.Phase, next.EndTime));
    }

    [Fact]
    public void An_instance_is_given_up_after_its_last_attempt_with_its_last_error_or_the_count()
    {
        var run = Failover("quiet", "loud");
        for (var i = 0; i < 2; i++) run = run.After([FailoverStep.Started("quiet", null), FailoverStep.Started("loud", null)], 3, T0);
        Assert.Equal<PendingMove>([new("quiet", 2), new("loud", 2)], run.Pending);

        run = run.After([FailoverStep.Started("quiet", null), FailoverStep.Started("loud", "NO_CAPACITY: full")], 3, T0);

        Assert.Empty(run.Pending);
        Assert.Equal("not moved after 3 attempts", run.Failed["quiet"]);
        Assert.Equal("NO_CAPACITY: full", run.Failed["loud"]);
    }

    [Fact]
    public void A_failover_ends_only_once_its_lost_instances_are_listed()
    {
        var moved = Failover("a").After([FailoverStep.Arrived("a")], 20, T0.AddSeconds(1));
        var listed = moved.WithLost(["x", "y"]).After([], 20, T0.AddSeconds(2));

        Assert.Equal((1, false, DrMode.FailingOver), (moved.Done, moved.Finished, moved.Phase));
        Assert.Equal((true, DrMode.FailedOver, T0.AddSeconds(2)), (listed.Finished, listed.Phase, listed.EndTime));
        Assert.Equal<string>(["x", "y"], listed.Lost);
        Assert.Equal((1, 1), (listed.Total, listed.Done));
    }
}
