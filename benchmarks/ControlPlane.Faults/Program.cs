// The fault campaign: load over real gRPC, faults injected into the local durable cluster, checks after each.
using ControlPlane.Faults;
using ControlPlane.Faults.Cluster;
using ControlPlane.Faults.Reporting;
using ControlPlane.Faults.Scenarios;

CampaignOptions options;
IReadOnlyList<Scenario> scenarios;
try
{
    options = CampaignOptions.Parse(args);
    scenarios = ScenarioCatalog.Select(options.Scenarios);
    if (options.Hosts && Environment.UserName != "root") throw new ArgumentException("--hosts makes network namespaces and nft rules: run the campaign as root");
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(CampaignOptions.Usage);
    return 2;
}

var log = options.Json ? Console.Error : Console.Out;
var root = ClusterScript.FindRoot(AppContext.BaseDirectory);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

OwnCluster? own = null;
ClusterTarget target;
if (options.ClusterDir is { } dir)
{
    var environment = new Dictionary<string, string>
    {
        ["CP_CLUSTER_DIR"] = Path.GetFullPath(dir),
        ["CP_PG_PORT"] = options.PostgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CP_PORT_OFFSET"] = options.PortOffset.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
    var hosts = HostsLayout.Read(Path.GetFullPath(dir));
    if (options.Hosts && hosts is null)
    {
        Console.Error.WriteLine($"--hosts: {dir} holds no two-centre layout (no hosts.env: start it with deploy/local/cluster up --hosts)");
        return 2;
    }
    target = FreePorts.Target(new ClusterScript(root, environment), Path.GetFullPath(dir), options.PostgresPort, options.PortOffset, hosts);
}
else
{
    own = await OwnCluster.StartAsync(root, options.Hosts, log, cancel.Token);
    target = own.Target;
}

try
{
    using var campaign = new Campaign(target, options, log);
    var result = await campaign.RunAsync(scenarios, "faults " + string.Join(' ', args), cancel.Token);
    var json = ReportWriter.ToJson(result);
    var artifacts = options.ArtifactsDir ?? Path.Combine(root, "artifacts", "faults");
    Directory.CreateDirectory(artifacts);
    await File.WriteAllTextAsync(Path.Combine(artifacts, $"{result.Started:yyyyMMdd-HHmmss}-report.json"), json);
    if (options.Json) Console.WriteLine(json);
    else ReportWriter.WriteText(result, Console.Out);
    return result.Passed ? 0 : 1;
}
finally
{
    if (own is not null)
    {
        // The cluster is purged: its logs stay with the histories, to read what a silo did during a fault.
        var logs = Path.Combine(options.ArtifactsDir ?? Path.Combine(root, "artifacts", "faults"), $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-logs");
        own.KeepLogs(logs);
        log.WriteLine($"cluster logs kept in {logs}");
        await own.DisposeAsync();
    }
}
