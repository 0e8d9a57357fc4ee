using ControlPlane.Cli.Tests.Process;
using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests;

/// <summary>
/// 'cpctl dr failover|failback --dry-run' run as a user runs it, against a host of its own whose france-sud is made the
/// disaster-recovery region (on the common host no region can take a failover).
/// </summary>
public sealed class RecoveryDryRunCliTests : IClassFixture<HostFixture>, IDisposable
{
    private readonly UserShell _shell = new();

    public RecoveryDryRunCliTests(HostFixture host) => _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);

    public void Dispose() => _shell.Dispose();

    [Fact]
    public async Task A_dry_run_failover_says_what_would_move_and_the_region_stays_normal_a_dry_run_failback_is_refused_as_the_real_one()
    {
        await _shell.OkAsync("topology", "set-region-role", "france-sud", "disaster-recovery", "--actor", "ops-rennes", "--reason", "DR site");
        await _shell.OkAsync("tenants", "create", "cli-dry-failover", "--regions", "france-centre,france-sud", "--cores", "8", "--memory-gib", "32");
        await _shell.OkAsync("instances", "create", "--tenant", "cli-dry-failover", "--name", "db", "--size", "Standard_D2s_v5", "--region", "france-centre", "--wait");
        var id = (await _shell.OkAsync("instances", "get", "db", "--tenant", "cli-dry-failover", "-o", "value", "--query", "id")).Out.Trim();
        await _shell.OkAsync("dr", "protect", id);

        var dry = await _shell.OkAsync("dr", "failover", "--region", "france-centre", "--reason", "drill", "--wait", "--dry-run");
        var json = await _shell.OkAsync("dr", "failover", "--region", "france-centre", "--dry-run", "-o", "json");

        Assert.Equal("dry run: region france-centre would fail over to france-sud: 1 protected instance(s) to re-create there, 1 with a reservation (nothing was changed)",
            dry.Out.Trim());
        Assert.StartsWith("dry run: dr failover on ", dry.Err);
        Assert.Matches("(?i)\"mode\"\\s*:\\s*\"(dr_mode_)?failing[-_]over\"", json.Out);
        var status = (await _shell.OkAsync("dr", "status", "--region", "france-centre", "-o", "json")).Out;
        Assert.Matches("(?i)\"mode\"\\s*:\\s*\"(dr_mode_)?normal\"", status);
        Assert.Matches("\"lastRun\"\\s*:\\s*null", status);
        Assert.Equal("france-centre", (await _shell.OkAsync("instances", "get", id, "-o", "value", "--query", "region")).Out.Trim());

        var refused = await _shell.RunAsync("dr", "failback", "--region", "france-centre", "--dry-run");
        var real = await _shell.RunAsync("dr", "failback", "--region", "france-centre");
        Assert.Equal((real.Exit, true), (refused.Exit, refused.Exit != 0));
        Assert.Contains("DR_STATE_CONFLICT", refused.Err);
        Assert.Contains("DR_STATE_CONFLICT", real.Err);
        Assert.DoesNotContain("would", refused.Out);
    }
}
