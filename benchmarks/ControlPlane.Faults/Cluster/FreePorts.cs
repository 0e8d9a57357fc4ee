using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Faults.Cluster;

/// <summary>Free loopback ports for a private cluster, the way deploy/local/cluster numbers them.</summary>
public static class FreePorts
{
    public static int Port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A CP_PORT_OFFSET whose silo, fleet and dashboard ports are all free, and all below the kernel's ephemeral range: a port
    /// in it can become the local port of any outgoing connection while its silo is down, and the restarted silo then finds
    /// it taken for good.
    /// </summary>
    public static int Offset(int silos)
    {
        var highest = EphemeralLow() - 30000 - silos - 1;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var offset = Random.Shared.Next(100, Math.Max(101, highest));
            var ports = Enumerable.Range(1, silos).SelectMany(n => new[] { 7180 + offset + n, 7280 + offset + n, 11110 + offset + n, 30000 + offset + n })
                .Concat([7190 + offset, 18888 + offset, 18889 + offset, 18890 + offset]);
            if (ports.All(IsFree)) return offset;
        }
        throw new InvalidOperationException("no free ports for the silos");
    }

    /// <summary>
    /// The target deploy/local/cluster serves with these settings (3 silos, TLS, pki/ of the folder): on
    /// loopback, or in the two-centre layout <paramref name="hosts"/> (each silo at its centre's address,
    /// both centres' PostgreSQL with the primary taken, the fleet on the bridge).
    /// </summary>
    public static ClusterTarget Target(ClusterScript script, string dir, int postgresPort, int offset, HostsLayout? hosts = null, int silos = 3)
    {
        string SiloAddress(int n) => hosts is null ? "127.0.0.1" : hosts.Address(HostsLayout.CentreOfSilo(n));
        var database = hosts is null ? "Host=127.0.0.1" : $"Host={hosts.Address(HostsLayout.Idf)},{hosts.Address(HostsLayout.Rennes)};Target Session Attributes=primary;Timeout=30";
        return new(
            [.. Enumerable.Range(1, silos).Select(n => new Uri($"https://{SiloAddress(n)}:{7180 + offset + n}"))],
            Path.Combine(dir, "pki", "ca.pem"),
            Path.Combine(dir, "pki", "token-signing.key"),
            $"{database};Port={postgresPort};Database=controlplane;Username=controlplane;Passfile={Path.Combine(dir, "secrets", "controlplane.pgpass")}",
            new Uri($"http://{hosts?.BridgeAddress ?? "127.0.0.1"}:{7190 + offset}"),
            dir,
            [.. Enumerable.Range(1, silos).Select(n => 11110 + offset + n)],
            script,
            hosts);
    }

    /// <summary>The lowest port the kernel gives outgoing connections (Linux default 32768).</summary>
    private static int EphemeralLow()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
