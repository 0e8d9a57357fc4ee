using System.Text.Json;
using ControlPlane.Cli.Tests.Process;
using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests;

/// <summary>'cpctl cluster members' run as a user runs it, in each output format.</summary>
[Collection(HostCollection.Name)]
public sealed class ClusterCommandTests : IDisposable
{
    private readonly UserShell _shell = new();

    public ClusterCommandTests(HostFixture host) => _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);

    public void Dispose() => _shell.Dispose();

    [Fact]
    public async Task Cluster_members_prints_the_silos_as_a_table_json_and_yaml()
    {
        var table = await _shell.RunAsync(["cluster", "members"]);
        var json = await _shell.RunAsync(["cluster", "members", "-o", "json"]);
        var yaml = await _shell.RunAsync(["cluster", "members", "-o", "yaml"]);

        Assert.True(table.Exit == 0, table.ToString());
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+STATUS\s+ADDRESS\s+STARTED\s+OPS-CENTRE\s+REGIONS", lines[0]);
        Assert.Matches(@"^\S+\*\s+active\s+127\.0\.0\.1:\d+@\d+\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+\S+\s+\S*france-centre", lines[1]);
        Assert.Equal(2, lines.Length);
        Assert.True(json.Exit == 0, json.ToString());
        var member = Assert.Single(JsonDocument.Parse(json.Out).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("active", true), (member.GetProperty("status").GetString(), member.GetProperty("answered").GetBoolean()));
        Assert.True(yaml.Exit == 0, yaml.ToString());
        Assert.Contains("status: active", yaml.Out);
    }
}
