using System.Diagnostics;

namespace ControlPlane.Bench.Tests;

public sealed class PercentilesTests
{
    private static readonly long[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (long)i)];

    [Theory]
    [InlineData(50, 50)]
    [InlineData(95, 95)]
    [InlineData(99, 99)]
    [InlineData(99.5, 100)]
    [InlineData(100, 100)]
    [InlineData(0.1, 1)]
    public void Nearest_rank_is_the_smallest_sample_with_that_share_at_or_below_it(double percent, long expected) =>
        Assert.Equal(expected, Percentiles.Of(OneToHundred, percent));

    [Fact]
    public void Few_samples_round_the_rank_up()
    {
        long[] samples = [10, 20, 30];

        Assert.Equal(20, Percentiles.Of(samples, 50));
        Assert.Equal(30, Percentiles.Of(samples, 99));
        Assert.Equal(10, Percentiles.Of([10], 99));
    }

    [Fact]
    public void No_samples_or_a_percent_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.Of([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of(OneToHundred, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of(OneToHundred, 101));
    }

    [Fact]
    public void A_summary_sorts_its_samples_and_reports_milliseconds()
    {
        var ticksPerMs = Stopwatch.Frequency / 1000;
        var samples = Enumerable.Range(1, 100).Reverse().Select(i => i * ticksPerMs).ToList();

        var summary = LatencySummary.Of(samples);

        Assert.Equal(50, summary.P50, 6);
        Assert.Equal(95, summary.P95, 6);
        Assert.Equal(99, summary.P99, 6);
        Assert.Equal(100, summary.Max, 6);
        Assert.True(double.IsNaN(LatencySummary.Of([]).P99));
    }
}
