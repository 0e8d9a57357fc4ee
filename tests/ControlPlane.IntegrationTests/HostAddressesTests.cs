using System.Net;
using System.Net.Sockets;
using ControlPlane.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ControlPlane.IntegrationTests;

/// <summary>Listen and advertised addresses given as IP literals or host names, resolved once at start.</summary>
public sealed class HostAddressesTests
{
    private static readonly Dictionary<string, IPAddress[]> Names = new()
    {
        ["silo-1.idf"] = [IPAddress.Parse("fd00::11"), IPAddress.Parse("10.42.0.11")],
        ["silo-3.rennes"] = [IPAddress.Parse("fd00::21")],
    };

    private static IPAddress[] Lookup(string name) =>
        Names.TryGetValue(name, out var found) ? found : throw new SocketException((int)SocketError.HostNotFound);

    [Theory]
    [InlineData("127.0.0.1:7180", "127.0.0.1", 7180)]
    [InlineData("[::1]:7180", "::1", 7180)]
    [InlineData("silo-1.idf:7181", "silo-1.idf", 7181)]
    [InlineData("localhost:0", "localhost", 0)]
    public void Host_and_port_split_for_literals_and_names(string value, string host, int port)
    {
        Assert.True(HostAddresses.TrySplit(value, out var h, out var p));
        Assert.Equal((host, port), (h, p));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("silo-1.idf:")]
    [InlineData(":7180")]
    [InlineData("silo-1.idf:70000")]
    [InlineData("silo 1:7180")]
    [InlineData("::1:7180")]
    [InlineData("")]
    public void Anything_else_is_not_host_and_port(string value) => Assert.False(HostAddresses.TrySplit(value, out _, out _));

    [Fact]
    public void A_name_resolves_to_its_first_ipv4_address_else_its_first_ipv6_one()
    {
        Assert.Equal(IPAddress.Parse("10.42.0.11"), HostAddresses.Resolve("silo-1.idf", Lookup));
        Assert.Equal(IPAddress.Parse("fd00::21"), HostAddresses.Resolve("silo-3.rennes", Lookup));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.42.0.11"), 7181), HostAddresses.ResolveEndpoint("silo-1.idf:7181", Lookup));
    }

    [Fact]
    public void An_ip_literal_is_never_looked_up() =>
        Assert.Equal(IPAddress.Parse("10.0.0.5"), HostAddresses.Resolve("10.0.0.5", _ => throw new InvalidOperationException("looked up")));

    [Fact]
    public void The_silo_resolves_its_settings_and_names_the_one_that_does_not_resolve()
    {
        var options = new SiloHostOptions { GrpcListen = "silo-1.idf:7181", HealthListen = "127.0.0.1:7281", AdvertisedAddress = "silo-1.idf" };
        Assert.Empty(options.Problems(["idf", "rennes"]));
        Assert.Equal(new ResolvedAddresses(new IPEndPoint(IPAddress.Parse("10.42.0.11"), 7181), new IPEndPoint(IPAddress.Loopback, 7281), IPAddress.Parse("10.42.0.11")),
            options.Resolve(Lookup));

        options.AdvertisedAddress = "silo-9.nowhere";
        var e = Assert.Throws<OptionsValidationException>(() => options.Resolve(Lookup));
        Assert.Contains("ControlPlane:Silo:AdvertisedAddress 'silo-9.nowhere' does not resolve", e.Message);
    }

    [Fact]
    public void A_host_started_with_a_name_that_does_not_resolve_stops_with_the_setting_name()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ControlPlaneHost.Build([], b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ControlPlane:Silo:GrpcListen"] = "no-such-host.invalid:7180" })));

        Assert.Contains("ControlPlane:Silo:GrpcListen 'no-such-host.invalid:7180' does not resolve", e.Message);
    }
}
