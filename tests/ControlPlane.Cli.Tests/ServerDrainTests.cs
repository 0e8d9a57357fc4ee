using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPlane.Cli.Tests.Host;
using ControlPlane.Cli.Tests.Process;

namespace ControlPlane.Cli.Tests;

/// <summary>
/// 'servers drain' as a user runs it: without --wait it prints the drain operation and how to wait for it; with --wait
/// it follows the drain to its end as 'instances create --wait' follows a create (agents taking seconds, so the moves do).
/// </summary>
[Collection(SlowAgentsCollection.Name)]
public sealed partial class ServerDrainTests : IDisposable
{
    private readonly UserShell _shell = new();

    public ServerDrainTests(SlowAgentsHostFixture host) => _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);

    public void Dispose() => _shell.Dispose();

    /// <summary>A tenant with one instance; returns the server it runs on.</summary>
    private async Task<string> ServerOfNewInstanceAsync(string tenant)
    {
        var created = await _shell.RunAsync("tenants", "create", tenant, "--regions", "france-centre", "--cores", "32", "--memory-gib", "128");
        Assert.True(created.Exit == 0, created.ToString());
        var instance = await _shell.RunAsync("instances", "create", "--tenant", tenant, "--name", "web-1", "--size", "Standard_D2s_v5",
            "--region", "france-centre", "--zone", "fr-centre-2", "--wait", "--timeout", "2m", "-o", "value", "--query", "instanceId");
        Assert.True(instance.Exit == 0, instance.ToString());
        var server = await _shell.RunAsync("instances", "get", instance.Out.Trim(), "--tenant", tenant, "-o", "value", "--query", "serverId");
        Assert.True(server.Exit == 0, server.ToString());
        return server.Out.Trim();
    }

    [Fact]
    public async Task Drain_with_wait_follows_the_drain_operation_until_the_server_is_drained()
    {
        var serverId = await ServerOfNewInstanceAsync("drain-wait");

        var drained = await _shell.RunAsync("servers", "drain", serverId, "--wait", "--timeout", "2m", "-o", "json");

        Assert.True(drained.Exit == 0, drained.ToString());
        var operation = JsonDocument.Parse(drained.Out).RootElement;
        Assert.Equal(("drain-server", "succeeded", serverId), (operation.GetProperty("kind").GetString(), operation.GetProperty("state").GetString(),
            operation.GetProperty("serverId").GetString()));
        var server = await _shell.RunAsync("servers", "get", serverId, "-o", "json");
        var after = JsonDocument.Parse(server.Out).RootElement;
        Assert.Equal(("drained", operation.GetProperty("id").GetString()),
            (after.GetProperty("lifecycle").GetString(), after.GetProperty("drainOperationId").GetString()));
        Assert.False(after.TryGetProperty("allocations", out var allocations) && allocations.GetArrayLength() > 0, server.Out);

        // Drained already: --wait answers at once with the drain that drained it.
        var again = await _shell.RunAsync("servers", "drain", serverId, "--wait", "-o", "value", "--query", "id");
        Assert.True(again.Exit == 0, again.ToString());
        Assert.Equal(operation.GetProperty("id").GetString(), again.Out.Trim());
        Assert.Equal(0, (await _shell.RunAsync("servers", "uncordon", serverId)).Exit);
    }

    [Fact]
    public async Task Drain_without_wait_prints_the_server_and_the_command_that_waits_for_its_drain()
    {
        var serverId = await ServerOfNewInstanceAsync("drain-nowait");

        var started = await _shell.RunAsync("servers", "drain", serverId);

        Assert.True(started.Exit == 0, started.ToString());
        Assert.Matches(@"lifecycle:\s+draining", started.Out);
        var operationId = DrainHint().Match(started.Err).Groups[1].Value;
        Assert.True(operationId.Length > 0, started.ToString());
        Assert.Matches($@"drain operation:\s+{operationId}", started.Out);

        var waited = await _shell.RunAsync("operations", "wait", operationId, "--timeout", "2m");
        Assert.True(waited.Exit == 0, waited.ToString());
        Assert.Matches(@"kind:\s+drain-server", waited.Out);
        Assert.Matches($@"server:\s+{serverId}", waited.Out);
        Assert.Equal(0, (await _shell.RunAsync("servers", "uncordon", serverId)).Exit);
    }

    [Fact]
    public async Task Ctrl_c_while_a_drain_is_followed_prints_its_operation_and_the_command_that_resumes()
    {
        var serverId = await ServerOfNewInstanceAsync("drain-int");

        var operationId = await Tmux.InterruptAsync(_shell.InTerminal("servers", "drain", serverId, "--wait"), Progress());

        var resumed = await _shell.RunAsync("operations", "wait", operationId, "--timeout", "2m", "-o", "json");
        Assert.True(resumed.Exit == 0, resumed.ToString());
        Assert.Equal("succeeded", JsonDocument.Parse(resumed.Out).RootElement.GetProperty("state").GetString());
        Assert.Equal(0, (await _shell.RunAsync("servers", "uncordon", serverId)).Exit);
    }

    [GeneratedRegex(@"operation (op-drain-[0-9a-f]+) \(drain-server\): \w+ \(\d+s\)")]
    private static partial Regex Progress();

    [GeneratedRegex(@"drain operation (op-drain-[0-9a-f]+); wait for it with: cpctl operations wait op-drain-[0-9a-f]+")]
    private static partial Regex DrainHint();
}
