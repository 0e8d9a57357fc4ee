using Grpc.Core;

namespace ControlPlane.Bench;

/// <summary>What one measured phase gave.</summary>
/// <param name="Load">How the calls were issued, e.g. "closed, 64 workers" or "paced".</param>
/// <param name="Succeeded">Successful calls that ended within the measured window.</param>
/// <param name="TargetRate">For a paced phase, the rate asked for (calls/s).</param>
/// <param name="Late">For a paced phase, calls sent more than a millisecond after they were due because every caller was busy.</param>
public sealed record LoadResult(
    string Method,
    string Load,
    TimeSpan Duration,
    int Succeeded,
    LatencySummary Latency,
    IReadOnlyDictionary<StatusCode, int> Errors,
    double? TargetRate,
    long Late,
    ResourceUse Use)
{
    /// <summary>Successful calls per second (for a paced phase, the rate achieved).</summary>
    public double Throughput => Succeeded / Duration.TotalSeconds;

    public int ErrorCount => Errors.Values.Sum();

    /// <summary>A paced phase sustained its rate when at least 95 % of it completed successfully within the window.</summary>
    public bool Sustained => TargetRate is not { } rate || Throughput >= 0.95 * rate;
}
