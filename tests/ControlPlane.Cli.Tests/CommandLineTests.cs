using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Cli.Tests;

/// <summary>What cpctl does before, or without, reaching a control plane.</summary>
public sealed class CommandLineTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(string? endpoint, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CpCtl.RunAsync(args, stdout, stderr, name => name == GlobalOptions.EndpointVariable ? endpoint : null);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Missing_options_are_a_usage_error()
    {
        var (exit, _, err) = await RunAsync(null, "instances", "create", "--tenant", "acme");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--size", err);
    }

    [Fact]
    public async Task Help_is_available_on_every_command()
    {
        foreach (var command in new[] { "regions", "zones", "servers", "sizes", "tenants", "instances", "operations", "topology" })
        {
            var (exit, output, _) = await RunAsync(null, command, "--help");
            Assert.Equal(0, exit);
            Assert.Contains("Usage", output);
        }
    }

    [Fact]
    public async Task An_unreachable_control_plane_is_reported_with_its_address()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, _, err) = await RunAsync($"http://127.0.0.1:{port}", "regions");

        Assert.Equal(ExitCodes.Unreachable, exit);
        Assert.Contains($"cannot reach the control plane at http://127.0.0.1:{port}: connection refused", err);
        Assert.Contains("reason: CONNECTION_REFUSED", err);
    }

    [Fact]
    public async Task The_endpoint_flag_wins_over_the_environment_and_must_be_a_url()
    {
        var (exit, _, err) = await RunAsync("http://127.0.0.1:1", "--endpoint", "not a url", "regions");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("'not a url'", err);
    }

    [Fact]
    public async Task Output_format_is_one_of_the_documented_ones()
    {
        var (exit, _, _) = await RunAsync(null, "regions", "-o", "xml");

        Assert.Equal(ExitCodes.Usage, exit);
    }
}
