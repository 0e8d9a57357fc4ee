using System.Collections.Concurrent;
using ControlPlane.Faults.Cluster;
using ControlPlane.Faults.Load;

namespace ControlPlane.Faults.Scenarios;

/// <summary>
/// What a scenario's faults act with: the driver, the clients (for faults sent through the API), a
/// seeded random source, the log, how long repeated faults go on; and where a scenario adds the
/// statuses and violations of calls it makes itself (the hostile requests) to the scenario's result.
/// </summary>
public sealed class FaultContext(ClusterDriver driver, ClusterClients clients, Random random, TextWriter log, TimeSpan duration)
{
    public ClusterDriver Driver { get; } = driver;
    public ClusterClients Clients { get; } = clients;
    public Random Random { get; } = random;
    public TextWriter Log { get; } = log;
    public TimeSpan Duration { get; } = duration;

    public ConcurrentDictionary<string, int> ExtraStatusCounts { get; } = new();
    public ConcurrentQueue<string> ExtraViolations { get; } = new();

    /// <summary>What the scenario could not do and why (a fault skipped on this machine).</summary>
    public ConcurrentQueue<string> Notes { get; } = new();
}
