using System.Diagnostics;

namespace ControlPlane.Bench;

/// <summary>Latency percentiles of a phase's successful calls, in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P95, double P99, double Max)
{
    public static readonly LatencySummary None = new(double.NaN, double.NaN, double.NaN, double.NaN);

    /// <param name="ticks">Latencies in <see cref="Stopwatch"/> ticks, in any order (sorted in place).</param>
    public static LatencySummary Of(List<long> ticks)
    {
        if (ticks.Count == 0) return None;
        ticks.Sort();
        return new(Ms(Percentiles.Of(ticks, 50)), Ms(Percentiles.Of(ticks, 95)), Ms(Percentiles.Of(ticks, 99)), Ms(ticks[^1]));
    }

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
