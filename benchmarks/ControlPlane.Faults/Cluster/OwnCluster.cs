namespace ControlPlane.Faults.Cluster;

/// <summary>
/// A cluster of the campaign's own: deploy/local/cluster started in a private folder on free ports
/// (PostgreSQL, the agent fleet, three silos built by the script), torn down and purged at the end.
/// </summary>
public sealed class OwnCluster : IAsyncDisposable
{
    private OwnCluster(ClusterTarget target) => Target = target;

    public ClusterTarget Target { get; }

    public static async Task<OwnCluster> StartAsync(string repositoryRoot, TextWriter log, CancellationToken cancellationToken)
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
        var script = new ClusterScript(repositoryRoot, environment);
        var cluster = new OwnCluster(FreePorts.Target(script, dir, postgresPort, offset));
        log.WriteLine($"starting a private cluster in {dir} (PostgreSQL {postgresPort}, port offset {offset}; {(environment.ContainsKey("CP_SILO_BIN") ? "built silo of CP_SILO_BIN" : "the script builds the silo")}) ...");
        try
        {
            log.Write(await script.RunAsync(cancellationToken, "up"));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
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
