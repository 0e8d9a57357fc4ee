namespace ControlPlane.Bench;

/// <summary>Nearest-rank percentiles: the smallest sample with at least p % of the samples at or below it.</summary>
public static class Percentiles
{
    /// <param name="sorted">Samples in ascending order.</param>
    /// <param name="percent">From 0 (exclusive) to 100.</param>
    public static long Of(IReadOnlyList<long> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 0) throw new ArgumentException("no samples", nameof(sorted));
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
