using System.Diagnostics;

namespace ControlPlane.Replay;

/// <summary>Feeds the trace's events to one policy on a fresh cluster and measures the outcome.</summary>
public static class Replayer
{
    public static PolicyResult Run(Trace trace, IReadOnlyList<ReplayEvent> events, IReadOnlyList<TracePod> shapes,
        Func<SimulatedCluster, IPlacementPolicy> create)
    {
        var cluster = new SimulatedCluster(trace.Nodes);
        var policy = create(cluster);
        int placed = 0, rejected = 0, peak = 0;
        long peakTime = 0, ticks = 0;
        var stranded = default(ResourceTotals);
        foreach (var e in events)
        {
            var pod = trace.Pods[e.Pod];
            if (e.Kind != ReplayEventKind.Arrival)
            {
                var freed = cluster.Release(e.Pod, pod);
                if (freed >= 0) policy.Learn(freed);
                continue;
            }
            // Timed: the policy's decision and what it learns from it, not the simulated server's bookkeeping.
            var start = Stopwatch.GetTimestamp();
            var server = policy.Choose(pod);
            ticks += Stopwatch.GetTimestamp() - start;
            if (server < 0)
            {
                rejected++;
                continue;
            }
            cluster.Place(server, e.Pod, pod);
            start = Stopwatch.GetTimestamp();
            policy.Learn(server);
            ticks += Stopwatch.GetTimestamp() - start;
            placed++;
            if (cluster.ServersInUse > peak)
            {
                peak = cluster.ServersInUse;
                peakTime = e.Time;
                stranded = cluster.Stranded(shapes);
            }
        }
        var microseconds = ticks * 1_000_000.0 / Stopwatch.Frequency / Math.Max(1, placed + rejected);
        return new PolicyResult(policy.Name, placed, rejected, peak, peakTime, stranded, microseconds, policy.Note);
    }

    /// <summary>The distinct request shapes of the trace: what "a request of the workload" can be.</summary>
    public static IReadOnlyList<TracePod> Shapes(Trace trace) =>
    [
        .. trace.Pods
            .GroupBy(p => (p.CpuMilli, p.MemoryMib, p.NumGpu, p.GpuMilli, Models: string.Join('|', p.GpuModels)))
            .Select(g => g.First()),
    ];
}
