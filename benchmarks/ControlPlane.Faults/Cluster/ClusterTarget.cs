namespace ControlPlane.Faults.Cluster;

/// <summary>
/// A running local durable cluster (deploy/local/cluster) the campaign loads and breaks: the silos'
/// gateways (silo N is <c>Endpoints[N-1]</c>), the CA they chain to, the key that signs tokens, the
/// database, the agent fleet, the folder the script keeps its pids and data in, and the script itself
/// run with the environment the cluster was started with.
/// </summary>
/// <param name="SiloPorts">Each silo's Orleans silo-to-silo port (silo N at index N-1): what a partition cuts.</param>
/// <param name="Hosts">The two-centre layout (<c>up --hosts</c>) the cluster runs in, or null on one host's loopback.</param>
public sealed record ClusterTarget(
    IReadOnlyList<Uri> Endpoints,
    string CaFile,
    string TokenKeyFile,
    string ConnectionString,
    Uri FleetEndpoint,
    string ClusterDir,
    IReadOnlyList<int> SiloPorts,
    ClusterScript Script,
    HostsLayout? Hosts = null)
{
    public int Silos => Endpoints.Count;

    /// <summary>The pid file deploy/local/cluster writes for silo <paramref name="silo"/>.</summary>
    public string SiloPidFile(int silo) => Path.Combine(ClusterDir, "pids", $"silo-{silo}.pid");

    /// <summary>PostgreSQL's own pid file (the primary's in the two-centre layout): its first line is the postmaster's pid.</summary>
    public string PostmasterPidFile => Path.Combine(ClusterDir, Hosts is null ? "pgdata" : $"pgdata-{PrimaryCentre()}", "postmaster.pid");

    /// <summary>The centre holding the PostgreSQL primary, as deploy/local/cluster records it (Île-de-France until a promotion).</summary>
    private string PrimaryCentre()
    {
        var file = Path.Combine(ClusterDir, "pg-primary");
        return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } centre ? centre : HostsLayout.Idf;
    }

    public string SiloLog(int silo) => Path.Combine(ClusterDir, "logs", $"silo-{silo}.log");
}
