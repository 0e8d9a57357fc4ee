using System.Globalization;
using System.Net.NetworkInformation;

namespace ControlPlane.Faults.Cluster;

/// <summary>
/// The two-centre layout of <c>deploy/local/cluster up --hosts</c> as its <c>hosts.env</c> records it
/// (deploy/local/hosts.sh): the namespace prefix, the /24 and the replication mode. Île-de-France (silos
/// 1 and 2, the PostgreSQL primary) is namespace <c>PREFIX-idf</c> at <c>NET.11</c>, Rennes (silo 3, the
/// standby) <c>PREFIX-rennes</c> at <c>NET.21</c>, and the root namespace's bridge <c>NET.1</c>.
/// </summary>
public sealed record HostsLayout(string Netns, string Net, string Replication)
{
    public const string Idf = "idf";
    public const string Rennes = "rennes";

    /// <summary>Each silo's centre, silo N at index N-1, as deploy/local/cluster places them.</summary>
    public static IReadOnlyList<string> SiloCentres { get; } = [Idf, Idf, Rennes];

    /// <summary>The root namespace's address on the bridge: the agent fleet, clients, the campaign's delaying proxies.</summary>
    public string BridgeAddress => Net + ".1";

    public string Namespace(string centre) => $"{Netns}-{centre}";

    public string Address(string centre) => centre switch
    {
        Idf => Net + ".11",
        Rennes => Net + ".21",
        _ => throw new ArgumentException($"unknown ops centre '{centre}'", nameof(centre)),
    };

    public static string CentreOfSilo(int silo) => SiloCentres[silo - 1];

    public static string OtherCentre(string centre) => centre == Idf ? Rennes : Idf;

    /// <summary>The layout of the cluster folder <paramref name="clusterDir"/>, or null when it was not started with <c>up --hosts</c>.</summary>
    public static HostsLayout? Read(string clusterDir)
    {
        var file = Path.Combine(clusterDir, "hosts.env");
        return File.Exists(file) ? Parse(File.ReadAllText(file)) : null;
    }

    /// <summary>The <c>key=value</c> lines hosts.sh writes (netns, net, replication).</summary>
    public static HostsLayout Parse(string hostsEnv)
    {
        var values = hostsEnv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#') && l.Contains('='))
            .Select(l => l.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        string Value(string key) => values.TryGetValue(key, out var v) && v.Length > 0 ? v : throw new FormatException($"hosts.env has no {key}");
        return new HostsLayout(Value("netns"), Value("net"), values.GetValueOrDefault("replication", "sync"));
    }

    /// <summary>A /24 that no interface of this machine has an address in.</summary>
    public static string FreeNet() => FreeNet(
        NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address.ToString()), Random.Shared);

    /// <summary>
    /// A /24 (<c>10.X.Y</c>) none of <paramref name="usedAddresses"/> is in, for a layout of the campaign's own;
    /// X from 100 to 249, clear of the default 10.42.0.
    /// </summary>
    public static string FreeNet(IEnumerable<string> usedAddresses, Random random)
    {
        var used = usedAddresses.ToList();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var net = string.Create(CultureInfo.InvariantCulture, $"10.{random.Next(100, 250)}.{random.Next(0, 256)}");
            if (!used.Any(a => a.StartsWith(net + ".", StringComparison.Ordinal))) return net;
        }
        throw new InvalidOperationException("no free 10.x.y.0/24 for the two-centre layout");
    }

    /// <summary>
    /// The nft table that steers what <paramref name="centre"/>'s processes open to the other centre's silo
    /// ports through the delaying proxies on the bridge: <paramref name="proxies"/> maps each silo port of the
    /// other centre to its proxy's port. Applied in <paramref name="centre"/>'s namespace (output hook: only
    /// connections opened there; the proxies' own connections start in the root namespace and pass untouched).
    /// </summary>
    public string DelayRules(string table, string centre, IReadOnlyDictionary<int, int> proxies)
    {
        var other = Address(OtherCentre(centre));
        var rules = string.Concat(proxies.OrderBy(p => p.Key).Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"    ip daddr {other} tcp dport {p.Key} dnat to {BridgeAddress}:{p.Value}\n")));
        return $$"""
            table ip {{table}} {
              chain out {
                type nat hook output priority -100; policy accept;
            {{rules}}  }
            }

            """;
    }
}
