using System.Text.Json;
using ControlPlane.Cli;

namespace ControlPlane.IntegrationTests;

/// <summary>cpctl topology against a control plane of its own (the platform's first days), as an operator runs it.</summary>
public sealed class TopologyCliTests(HistoryFixture platform) : IClassFixture<HistoryFixture>
{
    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CpCtl.RunAsync(args, stdout, stderr, name => name switch
        {
            GlobalOptions.EndpointVariable => platform.Endpoint,
            "USER" => "operator-1",
            _ => null,
        });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task An_operator_adds_a_zone_changes_a_role_retires_the_zone_and_reads_the_change_log()
    {
        var added = await RunAsync("topology", "add-zone", "fr-sud-2", "--region", "france-sud", "--datacentre", "toulouse",
            "--racks", "gp-64:1:2", "--racks", "gp-64:1:1", "--reason", "toulouse opens");
        Assert.True(added.Exit == 0, added.Err);
        Assert.Contains("add-zone", added.Out);
        Assert.Contains("toulouse: gp-64:1:2,gp-64:1:1", added.Out);

        var zones = await RunAsync("zones", "--region", "france-sud");
        var line = zones.Out.Split('\n').Single(l => l.StartsWith("fr-sud-2", StringComparison.Ordinal));
        Assert.Contains("active", line);
        Assert.Contains(" 3 ", line);

        var again = await RunAsync("topology", "add-zone", "fr-sud-2", "--region", "france-sud", "--datacentre", "toulouse", "--racks", "gp-64:1:1");
        Assert.Equal(ExitCodes.Error, again.Exit);
        Assert.Contains("ZONE_ALREADY_EXISTS", again.Err);
        var badRacks = await RunAsync("topology", "add-zone", "fr-sud-3", "--region", "france-sud", "--datacentre", "nice", "--racks", "gp-64x2");
        Assert.Equal(ExitCodes.Usage, badRacks.Exit);
        Assert.Contains("SKU:RACKS:SERVERS-PER-RACK", badRacks.Err);

        var role = await RunAsync("topology", "set-region-role", "france-sud", "disaster-recovery", "--actor", "ops-rennes", "--reason", "DR site");
        Assert.True(role.Exit == 0, role.Err);
        var regions = await RunAsync("regions");
        Assert.Contains("disaster-recovery", regions.Out.Split('\n').Single(l => l.StartsWith("france-sud", StringComparison.Ordinal)));

        var retired = await RunAsync("topology", "retire-zone", "fr-sud-2", "--wait", "--timeout", "00:01:00", "--reason", "test over");
        Assert.True(retired.Exit == 0, retired.Err);
        Assert.Contains("retired", (await RunAsync("zones", "--region", "france-sud")).Out.Split('\n').Single(l => l.StartsWith("fr-sud-2", StringComparison.Ordinal)));

        var log = await RunAsync("topology", "changes", "-o", "json");
        Assert.True(log.Exit == 0, log.Err);
        var changes = JsonDocument.Parse(log.Out).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["add-zone", "set-region-role", "retire-zone", "remove-zone"],
            changes.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal(["operator-1", "ops-rennes", "operator-1", "control-plane"], changes.Select(c => c.GetProperty("actor").GetString()));
        var table = await RunAsync("topology", "changes", "--after", "2");
        Assert.Contains("remove-zone", table.Out);
        Assert.DoesNotContain("set-region-role", table.Out);
    }
}
