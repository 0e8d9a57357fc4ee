using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Silo;

/// <summary>
/// Before anything heavy (the topology's load): the gRPC, health and Orleans ports must be free, or the start stops with
/// one line per busy port instead of Kestrel's or Orleans' AddressInUseException after the topology has loaded.
/// </summary>
public static class PortCheck
{
    /// <summary>The listen addresses, or null when a setting is not valid (the start's validation reports it).</summary>
    public static ResolvedAddresses? Addresses(SiloHostOptions options)
    {
        if (options.SiloPort is < 0 or > IPEndPoint.MaxPort || options.OrleansGatewayPort is < 0 or > IPEndPoint.MaxPort) return null;
        try
        {
            return options.Resolve();
        }
        catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or ArgumentException or FormatException or SocketException)
        {
            return null;
        }
    }

    public static void EnsureFree(SiloHostOptions options, ResolvedAddresses addresses)
    {
        var busy = new List<string>();
        void Check(string setting, IPEndPoint endpoint)
        {
            using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As the listeners bind: a port held only by the previous process's closing connections (TIME_WAIT after a
            // kill) is free for them, and a listening socket still makes the bind fail.
            AllowTimeWait(probe);
            try
            {
                probe.Bind(endpoint);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                busy.Add($"port {endpoint.Port} ({SiloHostOptions.Section}:{setting} = {endpoint}) is {(e.SocketErrorCode == SocketError.AccessDenied ? "not allowed" : "already in use")}");
            }
        }
        Check(nameof(SiloHostOptions.GrpcListen), addresses.Grpc);
        Check(nameof(SiloHostOptions.HealthListen), addresses.Health);
        Check(nameof(SiloHostOptions.SiloPort), new IPEndPoint(IPAddress.Any, options.SiloPort));
        Check(nameof(SiloHostOptions.OrleansGatewayPort), new IPEndPoint(IPAddress.Any, options.OrleansGatewayPort));
        if (busy.Count > 0) throw new PortsInUseException(busy);
    }

    /// <summary>
    /// SO_REUSEADDR alone. .NET's ReuseAddress also sets SO_REUSEPORT on Linux and macOS, and Orleans' listeners set it
    /// too, so a probe with it binds beside a running silo's silo and gateway ports and the check passes.
    /// </summary>
    private static void AllowTimeWait(Socket probe)
    {
        if (OperatingSystem.IsLinux()) probe.SetRawSocketOption(1, 2, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEADDR
        else if (OperatingSystem.IsMacOS()) probe.SetRawSocketOption(0xffff, 0x4, BitConverter.GetBytes(1));
    }
}
