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
    public void This_process_has_resident_memory()
    {
        Assert.True(ProcStats.ResidentBytes(Environment.ProcessId) > 0);
        Assert.Null(ProcStats.ResidentBytes(int.MaxValue));
    }
}
