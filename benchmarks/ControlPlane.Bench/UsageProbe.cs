using System.Diagnostics;

namespace ControlPlane.Bench;

/// <summary>Measures the CPU a phase used, from one snapshot to now; the silo's is the sum over the given silo processes.</summary>
public sealed class UsageProbe(IReadOnlyList<int> siloPids)
{
    public readonly record struct Snapshot(TimeSpan? Silo, IReadOnlyDictionary<int, long>? SiloTierUp, TimeSpan Client, (long Busy, long Total)? Machine);

    /// <summary>Whether the silos' processes are known, so that their CPU is measured.</summary>
    public bool KnowsSilos => siloPids.Count > 0;

    public Snapshot Take() => new(SiloCpu(), SiloTierUpCpu(), Process.GetCurrentProcess().TotalProcessorTime, ProcStats.MachineCpu());

    public ResourceUse Since(Snapshot start)
    {
        var now = Take();
        var busyCores = start.Machine is { } a && now.Machine is { } b && b.Total > a.Total
            ? (double)(b.Busy - a.Busy) / (b.Total - a.Total) * Environment.ProcessorCount
            : double.NaN;
        var tierUp = start.SiloTierUp is { } a0 && now.SiloTierUp is { } b0 ? ProcStats.TierUpTicksSince(a0, b0) : (TimeSpan?)null;
        return new ResourceUse(now.Silo - start.Silo, now.Client - start.Client, busyCores, tierUp);
    }

    /// <summary>The tier-up threads' ticks of every silo, keyed by thread id (unique across the processes of one machine).</summary>
    private IReadOnlyDictionary<int, long>? SiloTierUpCpu()
    {
        if (siloPids.Count == 0) return null;
        var all = new Dictionary<int, long>();
        foreach (var pid in siloPids)
        {
            if (ProcStats.TierUpTicks(pid) is not { } threads) return null;
            foreach (var (tid, ticks) in threads) all[tid] = ticks;
        }
        return all;
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
