using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ControlPlane.Bench.Tests;

/// <summary>The benchmark run as a user runs it, against a gateway address where nothing listens.</summary>
public sealed class UnreachableEndpointTests
{
    [Fact]
    public async Task An_endpoint_that_refuses_connections_ends_the_run_with_status_1_and_says_why()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { typeof(BenchOptions).Assembly.Location, "--target", "endpoint", "--endpoint", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var bench = Process.Start(start)!;
        var stdout = bench.StandardOutput.ReadToEndAsync();
        var stderr = await bench.StandardError.ReadToEndAsync();
        await bench.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await stdout;

        Assert.Equal(1, bench.ExitCode);
        Assert.Contains("error: the control plane answered Unavailable", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
    }
}
