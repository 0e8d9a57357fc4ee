using System.Globalization;

namespace ControlPlane.Bench;

/// <summary>The targets of issue #4 and how a measured ratio reads against them.</summary>
public static class Verdict
{
    /// <summary>CreateInstance throughput / no-op throughput, embedded mode, 10,000 servers.</summary>
    public const double EmbeddedThroughputRatio = 0.25;

    /// <summary>CreateInstance throughput / no-op throughput, durable mode (3 silos, PostgreSQL).</summary>
    public const double DurableThroughputRatio = 0.05;

    /// <summary>CreateInstance p99 / no-op p99, both at half the no-op's maximum throughput.</summary>
    public const double P99Ratio = 5;

    /// <summary>CreateInstance throughput with 10,000 servers / with 1,000 servers.</summary>
    public const double ScalingRatio = 0.8;

    public static string AtLeast(double value, double target) =>
        double.IsNaN(value) ? "NOT MEASURED"
        : value >= target ? "MET"
        : $"NOT MET ({Number(value / target)} of the target, {Percent(1 - value / target)} short)";

    public static string AtMost(double value, double target) =>
        double.IsNaN(value) ? "NOT MEASURED"
        : value <= target ? "MET"
        : $"NOT MET ({Number(value / target)} × the target, {Percent(value / target - 1)} over)";

    public static string Number(double value) => value.ToString(value >= 100 ? "N0" : value >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("F0", CultureInfo.InvariantCulture) + " %";
}
