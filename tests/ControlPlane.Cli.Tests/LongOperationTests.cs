using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPlane.Cli.Tests.Host;
using ControlPlane.Cli.Tests.Process;

namespace ControlPlane.Cli.Tests;

/// <summary>
/// --wait on operations that take seconds: progress on a terminal (tmux) and none when piped, Ctrl-C that says
/// how to resume, timeouts written as 30s or 2m, 'operations get --watch'.
/// </summary>
[Collection(SlowAgentsCollection.Name)]
public sealed partial class LongOperationTests : IDisposable
{
    private readonly SlowAgentsHostFixture _host;
    private readonly UserShell _shell = new();

    public LongOperationTests(SlowAgentsHostFixture host)
    {
        _host = host;
        _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);
    }

    public void Dispose() => _shell.Dispose();

    private async Task TenantAsync(string tenant)
    {
        var created = await _shell.RunAsync("tenants", "create", tenant, "--regions", "france-centre", "--cores", "32", "--memory-gib", "128");
        Assert.True(created.Exit == 0, created.ToString());
    }

    private static string[] CreateArgs(string tenant, string name) =>
        ["instances", "create", "--tenant", tenant, "--name", name, "--size", "Standard_D2s_v5", "--region", "france-centre"];

    [Fact]
    public async Task Waiting_on_a_terminal_shows_progress_and_piped_shows_none()
    {
        await TenantAsync("long-tty");
        await using (var terminal = await Tmux.StartAsync(_shell.InTerminal([.. CreateArgs("long-tty", "web-1"), "--wait", "--timeout", "2m"])))
        {
            var progress = await terminal.AwaitScreenAsync(s => Progress().IsMatch(s), TimeSpan.FromSeconds(30));
            Assert.Contains("(create-instance): running", progress);
            var done = await terminal.AwaitScreenAsync(s => s.Contains("EXIT="), TimeSpan.FromSeconds(60));
            Assert.Contains("EXIT=0", done);
            Assert.Matches(@"state:\s+succeeded", done);
            Assert.False(Progress().IsMatch(done), done);
        }

        var piped = await _shell.RunAsync([.. CreateArgs("long-tty", "web-2"), "--wait", "--timeout", "120s"]);
        Assert.True(piped.Exit == 0, piped.ToString());
        Assert.Matches(@"state:\s+succeeded", piped.Out);
        Assert.DoesNotContain("\u001b", piped.Err + piped.Out);
        Assert.DoesNotContain("running (", piped.Err);
        Assert.Equal("instances create on endpoint " + _host.Endpoint + " (no context)", piped.Err.Trim());
    }

    [Fact]
    public async Task Ctrl_c_while_waiting_prints_the_operation_and_the_command_that_resumes_and_exits_130()
    {
        await TenantAsync("long-int");
        var operationId = await Tmux.InterruptAsync(_shell.InTerminal([.. CreateArgs("long-int", "web-1"), "--wait"]), Progress());

        var resumed = await _shell.RunAsync("operations", "wait", operationId, "--timeout", "1m", "-o", "json");
        Assert.True(resumed.Exit == 0, resumed.ToString());
        Assert.Equal("succeeded", JsonDocument.Parse(resumed.Out).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_timeout_is_written_like_30s_and_a_short_one_ends_with_exit_4_and_how_to_wait_longer()
    {
        await TenantAsync("long-timeout");
        var started = await _shell.RunAsync([.. CreateArgs("long-timeout", "web-1"), "-o", "name"]);
        Assert.True(started.Exit == 0, started.ToString());
        var operationId = started.Out.Trim();

        var short_ = await _shell.RunAsync("operations", "wait", operationId, "--timeout", "500ms");
        Assert.Equal(ExitCodes.Timeout, short_.Exit);
        Assert.Contains($"cpctl operations wait {operationId}", short_.Err);

        var watched = await _shell.RunAsync("operations", "get", operationId, "--watch", "-o", "value", "--query", "state");
        Assert.True(watched.Exit == 0, watched.ToString());
        Assert.Equal("succeeded", watched.Out.Trim().Split('\n')[^1]);

        var bad = await _shell.RunAsync("operations", "wait", operationId, "--timeout", "soon");
        Assert.Equal(ExitCodes.Usage, bad.Exit);
        Assert.Contains("'soon' is not a duration", bad.Err);
        Assert.Equal(0, (await _shell.RunAsync("operations", "wait", operationId, "--timeout", "00:00:30")).Exit);
    }

    [GeneratedRegex(@"operation (op-[0-9a-f]+) \(create-instance\): \w+ \(\d+s\)")]
    private static partial Regex Progress();
}
