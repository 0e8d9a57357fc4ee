using System.Globalization;

namespace ControlPlane.Faults;

/// <summary>
/// How the campaign runs: which scenarios, the offered rate (requests/s), how long repeated faults go on,
/// the seed of every random choice, where histories go, and whether to print JSON; plus a running
/// cluster to use instead of starting one (its folder, PostgreSQL port and port offset), and whether the
/// cluster is the two-centre layout (<c>deploy/local/cluster up --hosts</c>).
/// </summary>
public sealed record CampaignOptions
{
    public const double DefaultRate = 8;

    public string Scenarios { get; init; } = "short";
    public double Rate { get; init; } = DefaultRate;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(120);
    public int Seed { get; init; } = Environment.TickCount & 0x7fffffff;
    public bool Json { get; init; }
    public string? ArtifactsDir { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load goes on this long after the last fault ends.</summary>
    public TimeSpan Recovery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Operations still open this long after the last fault count as stuck; the checks read the cluster then.</summary>
    public TimeSpan SettleAfterFault { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The settle ends earlier once every acknowledged operation has stayed terminal this long.</summary>
    public TimeSpan SettleQuiet { get; init; } = TimeSpan.FromSeconds(10);

    public string? ClusterDir { get; init; }
    public int PostgresPort { get; init; } = 55432;
    public int PortOffset { get; init; }

    /// <summary>The two-centre layout: started with <c>up --hosts</c>, or (with --cluster) read from the folder's hosts.env.</summary>
    public bool Hosts { get; init; }

    public const string Usage = """
        usage: dotnet run -c Release --project benchmarks/ControlPlane.Faults -- [options]
          --scenarios LIST   comma-separated scenarios and sets: short (kill, pg-restart, hostile), all  [short]
          --rate N           requests offered per second (creates, 20 % of them replaced by deletes)  [8]
          --duration S       how long repeated faults go on (kill-every-30, kill-every-15)  [120]
          --seed N           seed of every random choice (mixed schedule, agents chosen)  [random, printed]
          --json             print the report as JSON on stdout (progress goes to stderr)
          --artifacts DIR    where the per-request histories go  [artifacts/faults]
          --cluster DIR      use the running cluster of deploy/local/cluster in DIR instead of starting one;
                             with --pg-port P [55432] and --port-offset O [0] as it was started with
          --hosts            the two-centre layout (deploy/local/cluster up --hosts; needs root): each ops centre a
                             network namespace; partition cuts the centres apart, delay slows the silo connections
                             between them. With --cluster, the folder must hold that layout (its hosts.env)
        exit codes: 0 every check held, 1 a check failed, 2 usage error
        """;

    public static CampaignOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CampaignOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--scenarios" => options with { Scenarios = Value() },
                "--rate" => options with { Rate = Positive(double.Parse(Value(), CultureInfo.InvariantCulture), "--rate") },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(double.Parse(Value(), CultureInfo.InvariantCulture), "--duration")) },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--json" => options with { Json = true },
                "--artifacts" => options with { ArtifactsDir = Value() },
                "--cluster" => options with { ClusterDir = Value() },
                "--pg-port" => options with { PostgresPort = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--port-offset" => options with { PortOffset = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--hosts" => options with { Hosts = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }

    private static double Positive(double value, string name) => value > 0 ? value : throw new ArgumentException($"{name} must be positive");
}
