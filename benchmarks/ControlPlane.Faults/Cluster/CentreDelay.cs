namespace ControlPlane.Faults.Cluster;

/// <summary>
/// The silo connections between the two centres of the two-centre layout steered through
/// <see cref="DelayProxy"/>s on the bridge of the root namespace: in each centre's namespace an nft
/// <c>nat</c> rule sends what its processes open to the other centre's silo ports to that port's proxy,
/// which relays to the real silo after its delay. Connections within a centre, to PostgreSQL, the fleet
/// and the gateways keep their direct path. Open silo connections between the centres are reset
/// (<c>ss -K</c> in Rennes' namespace) so that they reconnect through the proxies. Healing deletes the
/// rules; the proxies' own end closes the relayed connections, which reconnect directly.
/// </summary>
internal sealed class CentreDelay : INetworkFault
{
    private const string Table = "cpfaults_delay";
    private readonly List<string> _steered = [];
    private bool _healed;

    /// <summary>
    /// The steering in force, or null (with nft's answer logged) when a namespace refused the rules.
    /// <paramref name="siloPorts"/>: silo N's silo port at index N-1; <paramref name="proxies"/>: silo port → its proxy's port.
    /// </summary>
    public static async Task<CentreDelay?> CreateAsync(HostsLayout hosts, IReadOnlyList<int> siloPorts, IReadOnlyDictionary<int, int> proxies, TextWriter log, CancellationToken cancellationToken)
    {
        var delay = new CentreDelay();
        foreach (var centre in new[] { HostsLayout.Idf, HostsLayout.Rennes })
        {
            var toOther = PortsOf(HostsLayout.OtherCentre(centre), siloPorts).ToDictionary(p => p, p => proxies[p]);
            var (code, output) = await Commands.RunAsync("ip", ["netns", "exec", hosts.Namespace(centre), "nft", "-f", "-"], hosts.DelayRules(Table, centre, toOther), cancellationToken);
            if (code != 0)
            {
                log.WriteLine($"  delay skipped: nft refused the rules in {hosts.Namespace(centre)} ({output.Trim()})");
                await delay.HealAsync();
                return null;
            }
            delay._steered.Add(hosts.Namespace(centre));
        }
        // Every silo connection between the centres has an end in Rennes: its silo port, or a port of an Île-de-France silo.
        var filter = string.Join(" or ", PortsOf(HostsLayout.Rennes, siloPorts).Select(p => $"sport = :{p}")
            .Concat(PortsOf(HostsLayout.Idf, siloPorts).Select(p => $"dport = :{p}")));
        var (reset, said) = await Commands.RunAsync("ip", ["netns", "exec", hosts.Namespace(HostsLayout.Rennes), "ss", "-K", "-t", $"( {filter} )"], null, cancellationToken);
        if (reset != 0) log.WriteLine($"  delay: ss -K could not reset the open silo connections between the centres ({said.Trim()}); they keep their direct path until they reconnect");
        return delay;
    }

    private static IEnumerable<int> PortsOf(string centre, IReadOnlyList<int> siloPorts) =>
        siloPorts.Where((_, i) => HostsLayout.CentreOfSilo(i + 1) == centre);

    public async Task HealAsync()
    {
        if (_healed) return;
        _healed = true;
        foreach (var ns in _steered)
        {
            await Commands.RunAsync("ip", ["netns", "exec", ns, "nft", "delete", "table", "ip", Table], null, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync() => await HealAsync();
}
