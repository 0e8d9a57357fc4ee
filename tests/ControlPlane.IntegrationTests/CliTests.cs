using System.Text.Json;
using ControlPlane.Cli;

namespace ControlPlane.IntegrationTests;

/// <summary>cpctl against the real host, as an operator runs it.</summary>
[Collection(HostCollection.Name)]
public sealed class CliTests(HostFixture host)
{
    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CpCtl.RunAsync(args, stdout, stderr, name => name switch
        {
            GlobalOptions.EndpointVariable => host.Endpoint,
            "CONTROLPLANE_TRACE_VIEWER" => "http://viewer.test:18888/",
            _ => null,
        });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_readme_walkthrough_works()
    {
        var tenant = await RunAsync("tenants", "create", "cli-acme", "--display-name", "ACME", "--regions", "france-centre,france-sud",
            "--cores", "32", "--memory-gib", "128");
        Assert.Equal(0, tenant.Exit);
        Assert.Contains("cli-acme", tenant.Out);

        var created = await RunAsync("instances", "create", "--tenant", "cli-acme", "--name", "web-1", "--size", "Standard_D2s_v5",
            "--region", "france-centre", "--wait", "-o", "json");
        Assert.True(created.Exit == 0, created.Err);
        using var operation = JsonDocument.Parse(created.Out);
        Assert.Equal("succeeded", operation.RootElement.GetProperty("state").GetString());
        var instanceId = operation.RootElement.GetProperty("instanceId").GetString()!;

        var listed = await RunAsync("instances", "list", "--tenant", "cli-acme");
        Assert.Equal(0, listed.Exit);
        Assert.Contains(instanceId, listed.Out);
        Assert.Contains("running", listed.Out);

        var usage = await RunAsync("tenants", "get", "cli-acme");
        Assert.Contains("2 cores, 8 GiB", usage.Out);

        var operationId = operation.RootElement.GetProperty("id").GetString()!;
        var traceId = operation.RootElement.GetProperty("traceId").GetString()!;
        var shown = await RunAsync("operations", "get", operationId);
        Assert.Contains(traceId, shown.Out);
        var link = await RunAsync("operations", "trace", operationId);
        Assert.Equal(0, link.Exit);
        Assert.Equal($"http://viewer.test:18888/traces/detail/{traceId}", link.Out.Trim());

        var deleted = await RunAsync("instances", "delete", instanceId, "--wait");
        Assert.Equal(0, deleted.Exit);
        Assert.Contains("succeeded", deleted.Out);
    }

    [Fact]
    public async Task Errors_give_the_reason_and_a_documented_exit_code()
    {
        var missing = await RunAsync("instances", "get", "i-nothing");
        Assert.Equal(ExitCodes.NotFound, missing.Exit);
        Assert.Contains("INSTANCE_NOT_FOUND", missing.Err);

        var quota = await RunAsync("tenants", "create", "cli-tiny", "--regions", "france-centre", "--cores", "1", "--memory-gib", "1");
        Assert.Equal(0, quota.Exit);
        var refused = await RunAsync("instances", "create", "--tenant", "cli-tiny", "--name", "vm", "--size", "Standard_D2s_v5", "--region", "france-centre");
        Assert.Equal(ExitCodes.Error, refused.Exit);
        Assert.Contains("QUOTA_EXCEEDED", refused.Err);

        var invalid = await RunAsync("instances", "create", "--tenant", "cli-tiny", "--name", "vm", "--size", "nope", "--region", "france-centre");
        Assert.Equal(ExitCodes.Error, invalid.Exit);
        Assert.Contains("UNKNOWN_SIZE", invalid.Err);
        Assert.Contains("field size", invalid.Err);
    }

    [Fact]
    public async Task Topology_commands_print_tables()
    {
        var zones = await RunAsync("zones");
        Assert.Equal(0, zones.Exit);
        Assert.Equal(5, zones.Out.Trim().Split('\n').Length);
        Assert.Contains("fr-sud-1", zones.Out);

        var servers = await RunAsync("servers", "list", "--zone", "fr-centre-1", "--limit", "3");
        Assert.Equal(4, servers.Out.Trim().Split('\n').Length);
        var bare = await RunAsync("servers", "--zone", "fr-sud-1", "--limit", "1201");
        Assert.Equal(1202, bare.Out.Trim().Split('\n').Length);

        var server = await RunAsync("servers", "get", "fr-centre-1-r001-s01", "-o", "json");
        Assert.Equal("fr-centre-1", JsonDocument.Parse(server.Out).RootElement.GetProperty("zone").GetString());
    }

    [Fact]
    public async Task Events_list_shows_takeovers_and_returns_newest_first()
    {
        // What the silos' watchers report when rennes' last silo dies and comes back (the embedded host has one idf silo), as they do: the platform's own work.
        using var watcher = ControlPlane.Grains.Abstractions.Access.CallerContext.AsSystem("ops-centre-watch");
        var log = host.Grains.GetGrain<ControlPlane.Grains.Abstractions.Events.IEventLogGrain>(ControlPlane.Grains.Abstractions.Events.IEventLogGrain.Key);
        var lost = DateTimeOffset.UtcNow;
        Assert.NotNull(await log.ReportAsync(new ControlPlane.Grains.Abstractions.Events.OpsCentreObservation("rennes", false, lost, "silo-1-idf", "idf", ["idf"])));
        Assert.NotNull(await log.ReportAsync(new ControlPlane.Grains.Abstractions.Events.OpsCentreObservation("rennes", true, lost.AddSeconds(1), "silo-2-idf", "idf", ["idf", "rennes"])));

        var table = await RunAsync("events", "list");
        Assert.True(table.Exit == 0, table.Err);
        var lines = table.Out.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("SEQ", lines[0]);
        Assert.Contains("ops-centre-return", lines[1]);
        Assert.Contains("ops-centre-takeover", lines[2]);
        Assert.Contains("france-sud", lines[2]);
        Assert.Contains("silo-1-idf", lines[2]);

        var json = await RunAsync("events", "list", "--kind", "ops-centre-takeover", "-o", "json");
        var takeover = Assert.Single(JsonDocument.Parse(json.Out).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("ops-centre-takeover", takeover.GetProperty("kind").GetString());
        Assert.Equal("idf", takeover.GetProperty("takenOverBy")[0].GetString());

        var oldest = await RunAsync("events", "list", "--oldest-first", "--limit", "1", "--since", lost.AddMinutes(-1).ToString("O"));
        Assert.Equal(2, oldest.Out.Trim().Split('\n').Length);
        Assert.Contains("ops-centre-takeover", oldest.Out);

        var bad = await RunAsync("events", "list", "--since", "yesterday-ish");
        Assert.Equal(ExitCodes.Usage, bad.Exit);
        Assert.Contains("--since", bad.Err);
    }
}
