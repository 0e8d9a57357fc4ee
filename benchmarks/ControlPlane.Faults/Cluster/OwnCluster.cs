namespace ControlPlane.Faults.Cluster;

/// <summary>
/// A cluster of the campaign's own: deploy/local/cluster started in a private folder on free ports
/// (PostgreSQL, the agent fleet, three silos built by the script), torn down and purged at the end.
/// With <c>hosts</c>, the two-centre layout (<c>up --hosts</c>) on a namespace prefix and a /24 of its
/// own, so that it never meets another layout of the machine; replication as CP_PG_REPLICATION says (sync).
/// </summary>
public sealed class OwnCluster : IAsyncDisposable
{
    private OwnCluster(ClusterTarget target) => Target = target;

    public ClusterTarget Target { get; }

    public static async Task<OwnCluster> StartAsync(string repositoryRoot, bool hosts, TextWriter log, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cp-faults-" + Guid.NewGuid().ToString("N")[..8]);
        var postgresPort = FreePorts.Port();
        var offset = FreePorts.Offset(3);
        var environment = new Dictionary<string, string>
        {
            ["CP_CLUSTER_DIR"] = dir,
            ["CP_PG_PORT"] = postgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CP_PORT_OFFSET"] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        // Built silo and fleet folders given in the environment skip the script's build, as in the cluster tests.
        foreach (var built in new[] { "CP_SILO_BIN", "CP_FLEET_BIN" })
        {
            if (System.Environment.GetEnvironmentVariable(built) is { Length: > 0 } folder) environment[built] = folder;
        }
        HostsLayout? layout = null;
        if (hosts)
        {
            layout = new HostsLayout("cf" + Guid.NewGuid().ToString("N")[..4], HostsLayout.FreeNet(),
                System.Environment.GetEnvironmentVariable("CP_PG_REPLICATION") is "async" ? "async" : "sync");
            environment["CP_NETNS"] = layout.Netns;
            environment["CP_HOSTS_NET"] = layout.Net;
            environment["CP_PG_REPLICATION"] = layout.Replication;
        }
        var script = new ClusterScript(repositoryRoot, environment);
        var cluster = new OwnCluster(FreePorts.Target(script, dir, postgresPort, offset, layout));
        var where = layout is null ? "" : $", two centres: namespaces {layout.Namespace(HostsLayout.Idf)} and {layout.Namespace(HostsLayout.Rennes)} on {layout.Net}.0/24, {layout.Replication} replication";
        log.WriteLine($"starting a private cluster in {dir} (PostgreSQL {postgresPort}, port offset {offset}{where}; {(environment.ContainsKey("CP_SILO_BIN") ? "built silo of CP_SILO_BIN" : "the script builds the silo")}) ...");
        try
        {
            log.Write(await script.RunAsync(cancellationToken, hosts ? ["up", "--hosts"] : ["up"]));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Copies the cluster's logs (silos, fleet, PostgreSQL, supervisors) to <paramref name="destination"/> before the purge.</summary>
    public void KeepLogs(string destination)
    {
        var logs = Path.Combine(Target.ClusterDir, "logs");
        if (!Directory.Exists(logs)) return;
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(logs)) File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Target.Script.RunAsync(CancellationToken.None, "down", "--purge");
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
        }
    }
}
