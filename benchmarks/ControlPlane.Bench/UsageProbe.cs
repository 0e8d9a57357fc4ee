using System.Diagnostics;

namespace ControlPlane.Bench;

/// <summary>Measures the CPU a phase used, from one snapshot to now; the silo's is the sum over the given silo processes.</summary>
public sealed class UsageProbe(IReadOnlyList<int> siloPids)
{
    public readonly record struct Snapshot(TimeSpan? Silo, TimeSpan Client, (long Busy, long Total)? Machine);

    public Snapshot Take() => new(SiloCpu(), Process.GetCurrentProcess().TotalProcessorTime, ProcStats.MachineCpu());

    public ResourceUse Since(Snapshot start)
    {
        var now = Take();
        var busyCores = start.Machine is { } a && now.Machine is { } b && b.Total > a.Total
            ? (double)(b.Busy - a.Busy) / (b.Total - a.Total) * Environment.ProcessorCount
            : double.NaN;
        return new ResourceUse(now.Silo - start.Silo, now.Client - start.Client, busyCores);
    }

    private TimeSpan? SiloCpu()
    {
        if (siloPids.Count == 0) return null;
        var total = TimeSpan.Zero;
        foreach (var pid in siloPids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return null;
            }
        }
        return total;
    }
}
