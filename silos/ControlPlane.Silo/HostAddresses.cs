using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Silo;

/// <summary>
/// Listen and advertised addresses as the settings write them: an IP literal or a host name (a DNS
/// name, or one of /etc/hosts), with a port where the setting takes one. A name is resolved once, at
/// start: its first IPv4 address, else its first IPv6 one (a silo advertises one address to the others).
/// </summary>
public static class HostAddresses
{
    /// <summary>Splits "host:port" ("[::1]:7180" for an IPv6 literal); false when it is not that, with a valid host and a port 0–65535.</summary>
    public static bool TrySplit(string value, out string host, out int port)
    {
        (host, port) = ("", 0);
        if (string.IsNullOrWhiteSpace(value)) return false;
        if (IPEndPoint.TryParse(value, out var literal) && value.Contains(':', StringComparison.Ordinal)
            && (literal.AddressFamily == AddressFamily.InterNetwork || value.StartsWith('[')))
        {
            (host, port) = (literal.Address.ToString(), literal.Port);
            return true;
        }
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || value.IndexOf(':', StringComparison.Ordinal) != colon) return false;
        if (!int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535) return false;
        host = value[..colon];
        return IsHost(host);
    }

    /// <summary>An IP literal or a well-formed host name.</summary>
    public static bool IsHost(string host) =>
        !string.IsNullOrWhiteSpace(host) && Uri.CheckHostName(host) is UriHostNameType.IPv4 or UriHostNameType.IPv6 or UriHostNameType.Dns;

    /// <summary>An IP literal as it is; a name through <paramref name="lookup"/> (the system resolver by default).</summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public static IPAddress Resolve(string host, Func<string, IPAddress[]>? lookup = null)
    {
        if (IPAddress.TryParse(host, out var literal)) return literal;
        var addresses = (lookup ?? Dns.GetHostAddresses)(host);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6)
            ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>"host:port" resolved to an endpoint.</summary>
    /// <exception cref="FormatException">Not host:port.</exception>
    /// <exception cref="SocketException">The host name does not resolve.</exception>
    public static IPEndPoint ResolveEndpoint(string value, Func<string, IPAddress[]>? lookup = null) =>
        TrySplit(value, out var host, out var port) ? new IPEndPoint(Resolve(host, lookup), port)
            : throw new FormatException($"'{value}' is not host:port");
}
