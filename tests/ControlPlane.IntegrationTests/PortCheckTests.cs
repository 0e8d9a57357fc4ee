using System.Net;
using System.Net.Sockets;
using ControlPlane.Silo;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.IntegrationTests;

/// <summary>A busy port stops the start before the topology loads, with one line naming the port and its setting.</summary>
public sealed class PortCheckTests
{
    [Fact]
    public void Busy_grpc_and_silo_ports_are_each_named_on_one_line()
    {
        using var grpc = new TcpListener(IPAddress.Loopback, 0);
        using var silo = new TcpListener(IPAddress.Loopback, 0);
        grpc.Start();
        silo.Start();
        var grpcPort = ((IPEndPoint)grpc.LocalEndpoint).Port;
        var siloPort = ((IPEndPoint)silo.LocalEndpoint).Port;
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:Silo:GrpcListen"] = $"127.0.0.1:{grpcPort}",
            ["ControlPlane:Silo:HealthListen"] = $"127.0.0.1:{Ports.Free()}",
            ["ControlPlane:Silo:SiloPort"] = siloPort.ToString(),
            ["ControlPlane:Silo:OrleansGatewayPort"] = Ports.Free().ToString(),
            // Not read: the ports are checked first.
            ["ControlPlane:Topology:File"] = "/nonexistent/topology.json",
        };

        var e = Assert.Throws<PortsInUseException>(() => ControlPlaneHost.Build([], b => b.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal(2, e.Ports.Count);
        Assert.Equal($"port {grpcPort} (ControlPlane:Silo:GrpcListen = 127.0.0.1:{grpcPort}) is already in use", e.Ports[0]);
        Assert.StartsWith($"port {siloPort} (ControlPlane:Silo:SiloPort = ", e.Ports[1]);
    }

    [Fact]
    public void Orleans_ports_held_by_a_running_silo_are_named_though_its_listeners_share_their_port()
    {
        // Orleans' listeners set ReuseAddress, which on Linux is SO_REUSEPORT too: a probe with that option binds beside
        // them, and a second embedded silo then starts on the same silo and gateway ports as the first.
        using var silo = Listening();
        using var gateway = Listening();
        var siloPort = ((IPEndPoint)silo.LocalEndPoint!).Port;
        var gatewayPort = ((IPEndPoint)gateway.LocalEndPoint!).Port;
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:Silo:GrpcListen"] = $"127.0.0.1:{Ports.Free()}",
            ["ControlPlane:Silo:HealthListen"] = $"127.0.0.1:{Ports.Free()}",
            ["ControlPlane:Silo:SiloPort"] = siloPort.ToString(),
            ["ControlPlane:Silo:OrleansGatewayPort"] = gatewayPort.ToString(),
            ["ControlPlane:Topology:File"] = "/nonexistent/topology.json",
        };

        var e = Assert.Throws<PortsInUseException>(() => ControlPlaneHost.Build([], b => b.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal(2, e.Ports.Count);
        Assert.StartsWith($"port {siloPort} (ControlPlane:Silo:SiloPort = ", e.Ports[0]);
        Assert.StartsWith($"port {gatewayPort} (ControlPlane:Silo:OrleansGatewayPort = ", e.Ports[1]);

        static Socket Listening()
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Listen();
            return socket;
        }
    }
}
