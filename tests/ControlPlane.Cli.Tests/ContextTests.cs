using ControlPlane.Cli.Tests.Process;
using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests;

/// <summary>Contexts in the configuration file, as a user sets and uses them; flags and variables override them.</summary>
[Collection(HostCollection.Name)]
public sealed class ContextTests(HostFixture host) : IDisposable
{
    private readonly UserShell _shell = new();

    public void Dispose() => _shell.Dispose();

    [Fact]
    public async Task A_context_holds_the_endpoint_and_trace_viewer_and_flags_or_variables_win_over_it()
    {
        Assert.Equal(ExitCodes.NotFound, (await _shell.RunAsync("config", "current-context")).Exit);
        var set = await _shell.RunAsync("config", "set-context", "embedded", "--endpoint", host.Endpoint, "--trace-url", "http://viewer.test:18888/");
        Assert.True(set.Exit == 0, set.ToString());
        Assert.Contains("trace-url: http://viewer.test:18888/", await File.ReadAllTextAsync(_shell.ConfigPath));
        Assert.Equal(0, (await _shell.RunAsync("config", "set-context", "dead", "--endpoint", $"http://127.0.0.1:{Ports.Free()}")).Exit);

        Assert.Equal("embedded", (await _shell.RunAsync("config", "current-context")).Out.Trim());
        var contexts = (await _shell.RunAsync("config", "get-contexts")).Out.Split('\n');
        Assert.StartsWith("*", contexts.Single(l => l.Contains("embedded")));
        Assert.DoesNotContain("*", contexts.Single(l => l.Contains("dead")));

        var regions = await _shell.RunAsync("regions");
        Assert.True(regions.Exit == 0, regions.ToString());
        Assert.Contains("france-centre", regions.Out);

        Assert.Equal(0, (await _shell.RunAsync("config", "use-context", "dead")).Exit);
        Assert.Equal(ExitCodes.Unreachable, (await _shell.RunAsync("regions")).Exit);
        Assert.Equal(0, (await _shell.RunAsync("--context", "embedded", "regions")).Exit);
        Assert.Equal(0, (await _shell.RunAsync("regions", "--endpoint", host.Endpoint)).Exit);
        _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);
        Assert.Equal(0, (await _shell.RunAsync("regions")).Exit);
        _shell.Export("CONTROLPLANE_ENDPOINT", null).Export("CPCTL_CONTEXT", "embedded");
        Assert.Equal(0, (await _shell.RunAsync("regions")).Exit);

        var unknown = await _shell.RunAsync("--context", "nowhere", "regions");
        Assert.Equal(ExitCodes.Usage, unknown.Exit);
        Assert.Contains("context 'nowhere'", unknown.Err);

        Assert.Equal(0, (await _shell.RunAsync("config", "delete-context", "dead")).Exit);
        Assert.DoesNotContain("dead", (await _shell.RunAsync("config", "get-contexts")).Out);
        Assert.Equal(ExitCodes.NotFound, (await _shell.RunAsync("config", "current-context")).Exit);
    }

    [Fact]
    public async Task A_command_that_changes_state_names_its_context_first_and_trace_links_come_only_from_configuration()
    {
        Assert.Equal(0, (await _shell.RunAsync("config", "set-context", "embedded", "--endpoint", host.Endpoint)).Exit);
        var tenant = await _shell.RunAsync("tenants", "create", "ctx-acme", "--regions", "france-centre", "--cores", "8", "--memory-gib", "32");
        Assert.True(tenant.Exit == 0, tenant.ToString());
        Assert.Contains($"tenants create on context embedded ({host.Endpoint})", tenant.Err);

        var created = await _shell.RunAsync("instances", "create", "--tenant", "ctx-acme", "--name", "web-1", "--size", "Standard_D2s_v5",
            "--region", "france-centre", "--wait", "-o", "json");
        Assert.True(created.Exit == 0, created.ToString());
        var operationId = System.Text.Json.JsonDocument.Parse(created.Out).RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith("op-", operationId);
        Assert.DoesNotContain("on context", (await _shell.RunAsync("operations", "get", operationId)).Err);

        var none = await _shell.RunAsync("operations", "trace", operationId);
        Assert.Equal(ExitCodes.Usage, none.Exit);
        Assert.Contains("no trace viewer is configured", none.Err);
        Assert.DoesNotContain("127.0.0.1:18888", none.Out + none.Err);

        Assert.Equal(0, (await _shell.RunAsync("config", "set-context", "embedded", "--trace-url", "http://viewer.test:18888")).Exit);
        var link = await _shell.RunAsync("operations", "trace", operationId);
        Assert.True(link.Exit == 0, link.ToString());
        Assert.Matches(@"^http://viewer\.test:18888/traces/detail/[0-9a-f]{32}$", link.Out.Trim());
        var flag = await _shell.RunAsync("operations", "trace", operationId, "--trace-url", "http://other.test/");
        Assert.StartsWith("http://other.test/traces/detail/", flag.Out.Trim());
    }
}
