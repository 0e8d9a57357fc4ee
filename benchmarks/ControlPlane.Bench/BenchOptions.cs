using System.Globalization;

namespace ControlPlane.Bench;

/// <summary>The command line; see <see cref="Usage"/>.</summary>
public sealed record BenchOptions
{
    public const int MinServers = 100;
    public const int MaxServers = 1_000_000;

    public const string Usage =
        "usage: ControlPlane.Bench [options]\n" +
        "  --target embedded|endpoint   embedded (default): start the silo as a child process on free ports;\n" +
        "                               endpoint: load an already running cluster (needs --endpoint)\n" +
        "  --endpoint URL[,URL...]      gRPC gateways of the running cluster, e.g. http://127.0.0.1:7181,http://127.0.0.1:7182\n" +
        "  --silo-pids PID[,PID...]     endpoint: the running silos' process ids, to report their CPU per call\n" +
        "  --ca-cert FILE               endpoint over https: the CA the gateways' certificates chain to (e.g. .local/cluster/pki/ca.pem)\n" +
        "  --client-cert FILE           endpoint: the tooling's client certificate, its service account (e.g. .local/cluster/pki/provisioning.pem)\n" +
        "  --client-key FILE            its private key (e.g. .local/cluster/pki/provisioning.key)\n" +
        "  --servers N[,N...]           embedded: topology size(s), the default's shape scaled, one silo each in turn (default 10000)\n" +
        "  --concurrency N              closed-loop workers, each with one call in flight (default 64)\n" +
        "  --duration S                 seconds of each measured phase (default 10)\n" +
        "  --warmup S                   seconds of warm-up before each closed-loop phase, not measured (default 5)\n" +
        "  --settle S                   before the measured phases, at most S seconds (default 360; 0: none) of rounds of the\n" +
        "                               no-op and CreateInstance, until the silos' tier-up (JIT) threads use less than 2 %\n" +
        "                               of their CPU: a silo still compiling its hot code measures its JIT, not its work\n" +
        "                               (needs the silos' pids: embedded, or --silo-pids)\n" +
        "  --tenants N                  tenants created up front, the creates spread over them (default 1000)\n" +
        "  --placement zone|region      zone (default): each create names a zone, in turn over every zone;\n" +
        "                               region: it names only a region and the control plane picks the zone\n" +
        "  --size NAME                  instance size of every create (default Standard_D2s_v5)\n" +
        "  --create-share F             when CreateInstance cannot reach half the no-op's maximum, its paced phase runs at\n" +
        "                               F times its own closed-loop maximum (default 0.8)\n" +
        "  --instances N                memory mode instead of the throughput phases: create N instances as fast as\n" +
        "                               possible and read the silo's resident memory before and after (embedded only)\n" +
        "  --tenant-scaling N,N[,N...]  tenant-scaling mode: CreateTenant's closed-loop rate once N tenants exist, for each N\n" +
        "                               in turn on one silo, e.g. 1000,100000 (embedded only)\n" +
        "  --tenant-size N              tenant-size mode: CreateInstance's closed-loop rate into one tenant that already holds\n" +
        "                               N instances, against the same load spread over the --tenants tenants (embedded, or an\n" +
        "                               endpoint: a durable cluster, with --silo-pids for its CPU)\n" +
        "  --silo PATH                  the silo to start (default: the one built beside this tool, same configuration)\n" +
        "  --help                       this text";

    public string Target { get; init; } = "embedded";
    public IReadOnlyList<Uri> Endpoints { get; init; } = [];
    public IReadOnlyList<int> SiloPids { get; init; } = [];
    public string? CaCert { get; init; }
    public string? ClientCert { get; init; }
    public string? ClientKey { get; init; }
    public IReadOnlyList<int> Servers { get; init; } = [10_000];
    public int Concurrency { get; init; } = 64;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(360);
    public int Tenants { get; init; } = 1000;
    public bool PlaceByRegion { get; init; }
    public string Size { get; init; } = "Standard_D2s_v5";
    public double CreateShare { get; init; } = 0.8;
    public int Instances { get; init; }
    public string? SiloPath { get; init; }
    public IReadOnlyList<int> TenantScaling { get; init; } = [];
    public int TenantSize { get; init; }

    public bool IsEmbedded => Target == "embedded";
    public bool IsMemoryMode => Instances > 0;
    public bool IsScalingMode => TenantScaling.Count > 0 || TenantSize > 0;

    /// <returns>The options, or null with an error message for a bad command line.</returns>
    public static (BenchOptions? Options, string Error) Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        var serversGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal)) return (null, $"unexpected argument '{name}'");
            if (i + 1 >= args.Count) return (null, $"{name} needs a value");
            var value = args[++i];
            string? error = null;
            switch (name)
            {
                case "--target":
                    if (value is not ("embedded" or "endpoint")) error = $"--target is '{value}'; expected embedded or endpoint";
                    options = options with { Target = value };
                    break;
                case "--endpoint":
                    var endpoints = new List<Uri>();
                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                        {
                            error = $"--endpoint '{part}' is not an http:// or https:// URL";
                            break;
                        }
                        endpoints.Add(uri);
                    }
                    options = options with { Endpoints = endpoints };
                    break;
                case "--ca-cert":
                    error = File.Exists(value) ? null : $"--ca-cert '{value}' does not exist";
                    options = options with { CaCert = value };
                    break;
                case "--client-cert":
                    error = File.Exists(value) ? null : $"--client-cert '{value}' does not exist";
                    options = options with { ClientCert = value };
                    break;
                case "--client-key":
                    error = File.Exists(value) ? null : $"--client-key '{value}' does not exist";
                    options = options with { ClientKey = value };
                    break;
                case "--silo-pids":
                    var pids = new List<int>();
                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        if (!TryInt(part, 1, int.MaxValue, out var pid))
                        {
                            error = $"--silo-pids '{part}' is not a process id";
                            break;
                        }
                        pids.Add(pid);
                    }
                    options = options with { SiloPids = pids };
                    break;
                case "--servers":
                    var servers = new List<int>();
                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        if (!TryInt(part, MinServers, MaxServers, out var n))
                        {
                            error = $"--servers '{part}' is not a whole number from {MinServers} to {MaxServers}";
                            break;
                        }
                        servers.Add(n);
                    }
                    options = options with { Servers = servers };
                    serversGiven = true;
                    break;
                case "--concurrency":
                    error = Int(name, value, 1, 10_000, out var concurrency);
                    options = options with { Concurrency = concurrency };
                    break;
                case "--duration":
                    error = Seconds(name, value, 1, 3600, out var duration);
                    options = options with { Duration = duration };
                    break;
                case "--warmup":
                    error = Seconds(name, value, 0, 3600, out var warmup);
                    options = options with { Warmup = warmup };
                    break;
                case "--settle":
                    error = Seconds(name, value, 0, 3600, out var settle);
                    options = options with { Settle = settle };
                    break;
                case "--tenants":
                    error = Int(name, value, 1, 100_000, out var tenants);
                    options = options with { Tenants = tenants };
                    break;
                case "--placement":
                    if (value is not ("zone" or "region")) error = $"--placement is '{value}'; expected zone or region";
                    options = options with { PlaceByRegion = value == "region" };
                    break;
                case "--size":
                    if (value.Length == 0) error = "--size cannot be empty";
                    options = options with { Size = value };
                    break;
                case "--create-share":
                    var shareOk = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var share) && share is > 0 and <= 1;
                    if (!shareOk) error = $"--create-share '{value}' is not a number above 0 and at most 1";
                    options = options with { CreateShare = share };
                    break;
                case "--instances":
                    error = Int(name, value, 1, 10_000_000, out var instances);
                    options = options with { Instances = instances };
                    break;
                case "--tenant-scaling":
                    var counts = new List<int>();
                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        if (!TryInt(part, 0, 10_000_000, out var n) || (counts.Count > 0 && n <= counts[^1]))
                        {
                            error = $"--tenant-scaling '{part}' is not a whole number from 0 to 10000000 above the one before";
                            break;
                        }
                        counts.Add(n);
                    }
                    options = options with { TenantScaling = counts };
                    break;
                case "--tenant-size":
                    error = Int(name, value, 1, 10_000_000, out var size);
                    options = options with { TenantSize = size };
                    break;
                case "--silo":
                    options = options with { SiloPath = value };
                    break;
                default:
                    error = $"unknown option '{name}'";
                    break;
            }
            if (error is not null) return (null, error);
        }

        if (options.IsEmbedded && options.Endpoints.Count > 0) return (null, "--endpoint goes with --target endpoint");
        if (!options.IsEmbedded && options.Endpoints.Count == 0) return (null, "--target endpoint needs --endpoint URL[,URL...]");
        if (!options.IsEmbedded && serversGiven) return (null, "--servers goes with --target embedded (a running cluster has its own topology)");
        if (!options.IsEmbedded && options.SiloPath is not null) return (null, "--silo goes with --target embedded");
        if (options.IsEmbedded && options.SiloPids.Count > 0) return (null, "--silo-pids goes with --target endpoint (an embedded silo is the tool's own child)");
        if (options.IsMemoryMode && !options.IsEmbedded) return (null, "--instances needs --target embedded (it reads the silo's memory)");
        if (options.IsMemoryMode && options.Servers.Count != 1) return (null, "--instances takes one --servers value");
        if (options.TenantScaling.Count > 0 && !options.IsEmbedded) return (null, "--tenant-scaling needs --target embedded");
        if (options.IsScalingMode && options.IsEmbedded && options.Servers.Count != 1) return (null, "--tenant-scaling and --tenant-size take one --servers value");
        if ((options.TenantScaling.Count > 0 ? 1 : 0) + (options.TenantSize > 0 ? 1 : 0) + (options.IsMemoryMode ? 1 : 0) > 1)
        {
            return (null, "--instances, --tenant-scaling and --tenant-size are modes: choose one");
        }
        if (options.Servers.Distinct().Count() != options.Servers.Count) return (null, "--servers names a size twice");
        return (options, "");
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static string? Int(string name, string text, int min, int max, out int value) =>
        TryInt(text, min, max, out value) ? null : $"{name} '{text}' is not a whole number from {min} to {max}";

    private static string? Seconds(string name, string text, double min, double max, out TimeSpan value)
    {
        var ok = double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds >= min && seconds <= max;
        value = TimeSpan.FromSeconds(ok ? seconds : 0);
        return ok ? null : $"{name} '{text}' is not a number of seconds from {min} to {max}";
    }
}
