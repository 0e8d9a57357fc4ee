namespace ControlPlane.Bench;

/// <summary>The throughput and latency phases against one target (a silo of one size, or a running cluster).</summary>
/// <param name="Servers">Servers of the target's topology.</param>
/// <param name="Ping">No-op, closed loop: its throughput is taken as the no-op's maximum.</param>
/// <param name="Create">CreateInstance, closed loop, same workers.</param>
/// <param name="PingPaced">No-op at half its maximum.</param>
/// <param name="CreatePaced">CreateInstance at half the no-op's maximum, or at a share of its own maximum when it cannot reach that.</param>
/// <param name="PingAtCreateRate">No-op at CreateInstance's paced rate, when that differs from half the no-op's maximum.</param>
public sealed record ThroughputRun(
    string Label,
    bool Embedded,
    int Servers,
    TimeSpan? Startup,
    long? ResidentAfterWarmup,
    long? ResidentAtEnd,
    long? PeakResident,
    LoadResult Ping,
    LoadResult Create,
    LoadResult PingPaced,
    LoadResult CreatePaced,
    LoadResult? PingAtCreateRate)
{
    /// <summary>The rounds run before the phases until the silos' JIT settled; null when not run.</summary>
    public Settling? Settling { get; init; }

    public double HalfNoOpRate => Ping.Throughput / 2;
    public double ThroughputRatio => Create.Throughput / Ping.Throughput;
    public double P99Ratio => CreatePaced.Latency.P99 / PingPaced.Latency.P99;
}
