namespace ControlPlane.Bench.Tests;

public sealed class ProcStatsTests
{
    private const string Status = "Name:\tdotnet\nVmPeak:\t 9000 kB\nVmHWM:\t  812345 kB\nVmRSS:\t  654321 kB\nThreads:\t42\n";

    [Fact]
    public void Status_fields_are_read_in_kib()
    {
        Assert.Equal(654_321, ProcStats.StatusField(Status, "VmRSS"));
        Assert.Equal(812_345, ProcStats.StatusField(Status, "VmHWM"));
        Assert.Null(ProcStats.StatusField(Status, "VmSwap"));
    }

    [Fact]
    public void Idle_and_iowait_are_not_busy()
    {
        var (busy, total) = ProcStats.CpuLine("cpu  100 5 50 1000 20 3 2 0 0 0");

        Assert.Equal(1180, total);
        Assert.Equal(160, busy);
    }

    [Fact]
    public void A_threads_cpu_is_its_user_and_system_ticks_whatever_its_name_holds()
    {
        // A thread name may hold spaces and parentheses: the fields are counted after the last ')'.
        const string stat = "4242 (.NET Tiered (x) Com) S 4047 4047 1 0 -1 4194368 12 0 0 0 731 42 0 0 20 0 61 0 5083 0 0";

        Assert.Equal(773, ProcStats.ThreadTicks(stat));
    }

    [Fact]
    public void A_live_process_has_tier_up_threads_to_read_and_a_missing_one_none()
    {
        Assert.NotNull(ProcStats.TierUpTicks(Environment.ProcessId));
        Assert.Null(ProcStats.TierUpTicks(int.MaxValue));
    }

    [Fact]
    public void Tier_up_cpu_counts_each_thread_from_its_start_and_never_a_thread_that_ended()
    {
        // Thread 10 ran 30 more ticks; 11 ended (its 500 ticks must not count negative); 12 started and ran 20.
        var start = new Dictionary<int, long> { [10] = 100, [11] = 500 };
        var end = new Dictionary<int, long> { [10] = 130, [12] = 20 };

        Assert.Equal(TimeSpan.FromSeconds(0.5), ProcStats.TierUpTicksSince(start, end));
    }

    [Fact]
    public void The_tier_up_share_needs_both_cpu_times()
    {
        Assert.Equal(0.25, new ResourceUse(TimeSpan.FromSeconds(4), TimeSpan.Zero, 1, TimeSpan.FromSeconds(1)).TierUpShare);
        Assert.True(double.IsNaN(new ResourceUse(null, TimeSpan.Zero, 1, TimeSpan.FromSeconds(1)).TierUpShare));
        Assert.True(double.IsNaN(new ResourceUse(TimeSpan.FromSeconds(4), TimeSpan.Zero, 1).TierUpShare));
    }

    [Fact]
    public void This_process_has_resident_memory()
    {
        Assert.True(ProcStats.ResidentBytes(Environment.ProcessId) > 0);
        Assert.Null(ProcStats.ResidentBytes(int.MaxValue));
    }
}
