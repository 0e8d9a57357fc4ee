namespace ControlPlane.Replay.Tests;

public sealed class ReplayTests
{
    private static TraceNode Gpu(string name, int gpus = 2) => new(name, 32_000, 131_072, gpus, "T4");

    private static TracePod Pod(string name, int gpuMilli, long created = 0, long deleted = 100, int numGpu = 1, long cpuMilli = 1_000) =>
        new(name, cpuMilli, 1_024, numGpu, gpuMilli, [], created, deleted);

    [Fact]
    public void A_gpu_share_is_taken_from_one_gpu_never_split_over_two()
    {
        var cluster = new SimulatedCluster([Gpu("n-0")]);
        cluster.Place(0, 0, Pod("p-0", 600));
        cluster.Place(0, 1, Pod("p-1", 600));

        Assert.Equal(800, cluster.PooledFree(0).Gpus);
        Assert.False(cluster.Fits(0, Pod("p-2", 460)));
        Assert.True(cluster.Fits(0, Pod("p-3", 400)));
    }

    [Fact]
    public void Shares_go_to_the_fullest_gpu_that_holds_them_so_whole_gpus_stay_free()
    {
        var cluster = new SimulatedCluster([Gpu("n-0")]);
        cluster.Place(0, 0, Pod("p-0", 300));
        cluster.Place(0, 1, Pod("p-1", 300));

        Assert.True(cluster.Fits(0, Pod("whole", 1000)));
    }

    [Fact]
    public void Departures_come_before_arrivals_at_the_same_time_and_a_zero_length_stay_ends_after_its_arrival()
    {
        var events = ReplayEvent.Of([Pod("early", 0, created: 0, deleted: 10), Pod("late", 0, created: 10, deleted: 20), Pod("instant", 0, created: 10, deleted: 10)]);

        Assert.Equal(
            [(0L, ReplayEventKind.Arrival, 0), (10, ReplayEventKind.Departure, 0), (10, ReplayEventKind.Arrival, 1),
             (10, ReplayEventKind.Arrival, 2), (10, ReplayEventKind.DepartureAfterArrival, 2), (20, ReplayEventKind.Departure, 1)],
            events.Select(e => (e.Time, e.Kind, e.Pod)));
    }

    [Fact]
    public void Free_capacity_is_stranded_only_on_servers_in_use_where_no_request_shape_fits()
    {
        var cluster = new SimulatedCluster([Gpu("n-full-cpu"), Gpu("n-room"), Gpu("n-empty")]);
        var shape = Pod("shape", 500);
        cluster.Place(0, 0, Pod("all-cpu", 1000, cpuMilli: 32_000));
        cluster.Place(1, 1, Pod("small", 1000));

        var stranded = cluster.Stranded([shape]);

        Assert.Equal(new ResourceTotals(0, 131_072 - 1_024, 1_000), stranded);
    }

    [Fact]
    public void ControlPlane_learns_a_refusal_and_places_on_the_next_server()
    {
        var cluster = new SimulatedCluster([Gpu("n-0"), Gpu("n-1")]);
        var policy = new ControlPlanePolicy(cluster);
        foreach (var (pod, i) in new[] { (Pod("p-0", 600), 0), (Pod("p-1", 600), 1) })
        {
            cluster.Place(0, i, pod);
            policy.Learn(0);
        }

        // n-0 is in use and its pooled 800 thousandths cover 460, so the index proposes it first.
        Assert.Equal(1, policy.Choose(Pod("p-2", 460)));
        Assert.Contains("proposed 1 servers", policy.Note);
    }

    [Fact]
    public void FirstFit_takes_node_list_order_and_BestFit_the_tightest_server()
    {
        var cluster = new SimulatedCluster([new TraceNode("big", 64_000, 262_144, 0, ""), new TraceNode("small", 8_000, 32_768, 0, "")]);
        var pod = Pod("cpu", 0, numGpu: 0, cpuMilli: 6_000);

        Assert.Equal(0, new FirstFitPolicy(cluster).Choose(pod));
        Assert.Equal(1, new BestFitPolicy(cluster).Choose(pod));
    }

    [Fact]
    public void A_missing_trace_folder_is_named_in_the_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-trace-{Guid.NewGuid():N}");

        var error = Assert.Throws<TraceException>(() => Trace.Load(missing));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void The_target_needs_fewer_servers_without_more_rejections_or_fewer_rejections_with_no_more_servers()
    {
        static PolicyResult Result(string name, int rejected, int peak) => new(name, 100 - rejected, rejected, peak, 0, default, 1, "");

        Assert.True(Verdict.Of(Result("cp", 0, 97), [Result("ff", 0, 100), Result("bf", 0, 120)]).TargetMet);
        Assert.False(Verdict.Of(Result("cp", 0, 98), [Result("ff", 0, 100), Result("bf", 0, 120)]).TargetMet);
        Assert.False(Verdict.Of(Result("cp", 5, 50), [Result("ff", 0, 100)]).TargetMet);
        Assert.True(Verdict.Of(Result("cp", 1, 100), [Result("ff", 3, 100)]).TargetMet);
        Assert.Equal("bf", Verdict.Of(Result("cp", 0, 10), [Result("ff", 0, 30), Result("bf", 0, 20)]).BetterBaseline.Policy);
    }
}
