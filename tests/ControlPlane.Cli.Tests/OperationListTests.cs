using ControlPlane.Cli.Tests.Host;
using ControlPlane.Cli.Tests.Process;

namespace ControlPlane.Cli.Tests;

/// <summary>'cpctl operations list' run as a user runs it: filters, --limit with the next page's token, --watch until Ctrl-C.</summary>
[Collection(SlowAgentsCollection.Name)]
public sealed class OperationListTests : IDisposable
{
    private readonly SlowAgentsHostFixture _host;
    private readonly UserShell _shell = new();

    public OperationListTests(SlowAgentsHostFixture host)
    {
        _host = host;
        _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);
    }

    public void Dispose() => _shell.Dispose();

    private async Task<string> CreateAsync(string tenant, string name, params string[] more)
    {
        var started = await _shell.RunAsync(["instances", "create", "--tenant", tenant, "--name", name, "--size", "Standard_D2s_v5",
            "--region", "france-centre", "-o", "name", .. more]);
        Assert.True(started.Exit == 0, started.ToString());
        return started.Out.Trim();
    }

    private async Task<string[]> IdsAsync(params string[] args)
    {
        var listed = await _shell.RunAsync(["operations", "list", "-o", "name", .. args]);
        Assert.True(listed.Exit == 0, listed.ToString());
        return listed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [Fact]
    public async Task An_empty_list_still_prints_its_headers_or_an_empty_items_array()
    {
        var created = await _shell.RunAsync("tenants", "create", "cli-ops-none", "--regions", "france-centre", "--cores", "8", "--memory-gib", "32");
        Assert.True(created.Exit == 0, created.ToString());

        var table = await _shell.RunAsync("operations", "list", "--tenant", "cli-ops-none", "--state", "failed");
        var json = await _shell.RunAsync("operations", "list", "--tenant", "cli-ops-none", "--state", "failed", "-o", "json");

        Assert.True(table.Exit == 0, table.ToString());
        Assert.StartsWith("ID ", table.Out);
        Assert.Contains("ERROR", table.Out);
        Assert.True(json.Exit == 0, json.ToString());
        using var items = System.Text.Json.JsonDocument.Parse(json.Out);
        Assert.Equal(0, items.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Operations_are_listed_by_tenant_state_and_kind_and_a_limit_prints_the_token_that_resumes()
    {
        var created = await _shell.RunAsync("tenants", "create", "cli-ops", "--regions", "france-centre", "--cores", "32", "--memory-gib", "128");
        Assert.True(created.Exit == 0, created.ToString());
        var first = await CreateAsync("cli-ops", "a", "--wait");
        var second = await CreateAsync("cli-ops", "b", "--wait");
        var third = await CreateAsync("cli-ops", "c", "--wait");

        string[] all = [];
        for (var i = 0; i < 40 && all.Length < 3; i++)
        {
            all = await IdsAsync("--tenant", "cli-ops", "--state", "succeeded", "--kind", "create-instance");
            if (all.Length < 3) await Task.Delay(250);
        }
        Assert.Equal([third, second, first], all);
        Assert.Empty(await IdsAsync("--tenant", "cli-ops", "--kind", "delete-instance"));

        var cut = await _shell.RunAsync("operations", "list", "--tenant", "cli-ops", "--limit", "2");
        Assert.True(cut.Exit == 0, cut.ToString());
        Assert.Contains(third, cut.Out);
        Assert.Contains(second, cut.Out);
        Assert.DoesNotContain(first, cut.Out);
        var token = System.Text.RegularExpressions.Regex.Match(cut.Err, @"--page-token (\S+)").Groups[1].Value;
        Assert.NotEqual("", token);
        Assert.Equal([first], await IdsAsync("--tenant", "cli-ops", "--page-token", token));

        var bad = await _shell.RunAsync("operations", "list", "--state", "sleeping");
        Assert.Equal(ExitCodes.Usage, bad.Exit);
    }

    [Fact]
    public async Task Watching_the_list_shows_an_operation_reach_its_end_and_ctrl_c_ends_the_watch_with_exit_0()
    {
        var created = await _shell.RunAsync("tenants", "create", "cli-ops-w", "--regions", "france-centre", "--cores", "32", "--memory-gib", "128");
        Assert.True(created.Exit == 0, created.ToString());
        var operation = await CreateAsync("cli-ops-w", "a");

        var command = $"env HOME='{_shell.Home}' CONTROLPLANE_ENDPOINT='{_host.Endpoint}' dotnet '{CpctlProcess.Dll}' operations list --tenant cli-ops-w --watch; echo EXIT=$?; sleep 120";
        await using var terminal = await Tmux.StartAsync(command);
        var done = await terminal.AwaitScreenAsync(s => s.Contains(operation) && s.Contains("succeeded"), TimeSpan.FromSeconds(60));
        Assert.Contains("create-instance", done);
        await terminal.SendKeysAsync("C-c");
        Assert.Contains("EXIT=0", await terminal.AwaitScreenAsync(s => s.Contains("EXIT="), TimeSpan.FromSeconds(30)));
    }
}
