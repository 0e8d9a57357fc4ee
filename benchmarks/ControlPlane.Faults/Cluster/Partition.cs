namespace ControlPlane.Faults.Cluster;

/// <summary>
/// A silo cut off from the others on loopback: the process moved into a cgroup (v2) of its own, and
/// nft rules dropping what that cgroup sends to the other silos' ports or from its own silo port, and
/// whatever anyone sends to its silo port; or, for a delay, the same connections steered through
/// <see cref="DelayProxy"/>s. Disposing heals it (rules deleted, process moved back).
/// </summary>
internal sealed class Partition : INetworkFault
{
    private readonly string _table;
    private readonly string _family;
    private readonly string _cgroup;
    private readonly string _root;
    private bool _healed;

    private Partition(string table, string family, string root, string cgroup) => (_table, _family, _root, _cgroup) = (table, family, root, cgroup);

    /// <summary>The partition in force, or null (with the reason logged) when nft or cgroup v2 is not available.</summary>
    public static Task<Partition?> CreateAsync(int pid, int ownPort, IReadOnlyList<int> otherPorts, TextWriter log, CancellationToken cancellationToken) =>
        CreateAsync(pid, "partition", log, cancellationToken, (table, path) => $$"""
            table inet {{table}} {
              chain out {
                type filter hook output priority 0; policy accept;
                socket cgroupv2 level 1 "{{path}}" tcp dport { {{string.Join(", ", otherPorts)}} } drop
                socket cgroupv2 level 1 "{{path}}" tcp sport {{ownPort}} drop
                tcp dport {{ownPort}} drop
              }
            }
            """);

    /// <summary>
    /// The silo's connections with the others steered through delaying proxies instead of dropped: what it
    /// sends to another silo's port goes to that port's proxy, and what anyone but a proxy sends to its own
    /// port goes to its own port's proxy. <paramref name="proxies"/> maps a silo port to its proxy's port.
    /// Connections open before the rules are reset (ss -K) so that they reconnect through the proxies.
    /// </summary>
    public static async Task<Partition?> CreateDelayAsync(int pid, int ownPort, IReadOnlyDictionary<int, int> proxies, TextWriter log, CancellationToken cancellationToken)
    {
        var others = proxies.Keys.Where(p => p != ownPort).ToList();
        var steered = await CreateAsync(pid, "delay", log, cancellationToken, (table, path) => $$"""
            table ip {{table}} {
              chain out {
                type nat hook output priority -100; policy accept;
            {{string.Concat(others.Select(p => $"    socket cgroupv2 level 1 \"{path}\" tcp dport {p} dnat to 127.0.0.1:{proxies[p]}\n"))}}    ip saddr != {{DelayProxy.Source}} tcp dport {{ownPort}} dnat to 127.0.0.1:{{proxies[ownPort]}}
              }
            }
            """, family: "ip");
        if (steered is null) return null;
        var ports = string.Join(" or ", proxies.Keys.Select(p => $"sport = :{p} or dport = :{p}"));
        var (code, output) = await Commands.RunAsync("ss", ["-K", "-t", $"( {ports} )"], null, cancellationToken);
        if (code != 0) log.WriteLine($"  delay: ss -K could not reset the open silo connections ({output.Trim()}); they keep their direct path until they reconnect");
        return steered;
    }

    private static async Task<Partition?> CreateAsync(int pid, string what, TextWriter log, CancellationToken cancellationToken, Func<string, string, string> rulesFor, string family = "inet")
    {
        if (!await NftAvailableAsync(log, cancellationToken)) return null;
        var root = File.ReadLines("/proc/mounts").Select(l => l.Split(' ')).FirstOrDefault(f => f.Length > 2 && f[2] == "cgroup2")?[1];
        if (root is null)
        {
            log.WriteLine($"  {what} skipped: no cgroup v2 hierarchy is mounted (needed to tell the silo's packets apart on loopback)");
            return null;
        }
        var name = $"cp-faults-{pid}";
        var table = $"cpfaults{pid}";
        Directory.CreateDirectory(Path.Combine(root, name));
        await File.WriteAllTextAsync(Path.Combine(root, name, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        var partition = new Partition(table, family, root, name);
        // nft names a cgroup by its path under /sys/fs/cgroup, wherever the v2 hierarchy is mounted.
        var path = Path.GetRelativePath("/sys/fs/cgroup", Path.Combine(root, name));
        var (code, output) = await Commands.RunAsync("nft", ["-f", "-"], rulesFor(table, path), cancellationToken);
        if (code != 0)
        {
            log.WriteLine($"  {what} skipped: nft refused the rules ({output.Trim()})");
            await partition.DisposeAsync();
            return null;
        }
        return partition;
    }

    /// <summary>Moves <paramref name="pid"/> (the silo started again while cut off) into the partition's cgroup.</summary>
    public async Task IncludeAsync(int pid)
    {
        if (_healed) return;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(_root, _cgroup, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            // it has exited already
        }
    }

    public async Task HealAsync()
    {
        if (_healed) return;
        _healed = true;
        await Commands.RunAsync("nft", ["delete", "table", _family, _table], null, CancellationToken.None);
        // Every process of the partition's cgroup (the silo, or its later start) goes back to the root.
        foreach (var pid in File.ReadAllLines(Path.Combine(_root, _cgroup, "cgroup.procs")).Where(l => l.Length > 0))
        {
            try
            {
                await File.WriteAllTextAsync(Path.Combine(_root, "cgroup.procs"), pid);
            }
            catch (IOException)
            {
                // it has exited meanwhile
            }
        }
        try
        {
            Directory.Delete(Path.Combine(_root, _cgroup));
        }
        catch (IOException)
        {
            // still busy: left for the next run's cleanup
        }
    }

    public async ValueTask DisposeAsync() => await HealAsync();

    private static async Task<bool> NftAvailableAsync(TextWriter log, CancellationToken cancellationToken)
    {
        if (await CanRunAsync("nft", cancellationToken)) return true;
        if (Environment.UserName != "root")
        {
            log.WriteLine("  partition skipped: nft (Debian package nftables) is not installed and installing it needs root");
            return false;
        }
        log.WriteLine("  installing nftables (apt-get install -y nftables) for the partition ...");
        var (code, output) = await Commands.RunAsync("apt-get", ["install", "-y", "nftables"], null, cancellationToken);
        if (code != 0)
        {
            await Commands.RunAsync("apt-get", ["update", "-qq"], null, cancellationToken);
            (code, output) = await Commands.RunAsync("apt-get", ["install", "-y", "nftables"], null, cancellationToken);
        }
        if (code == 0 && await CanRunAsync("nft", cancellationToken)) return true;
        log.WriteLine($"  partition skipped: nftables could not be installed ({output.Trim().Split('\n')[^1]})");
        return false;
    }

    private static async Task<bool> CanRunAsync(string tool, CancellationToken cancellationToken)
    {
        try
        {
            return (await Commands.RunAsync(tool, ["--version"], null, cancellationToken)).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
