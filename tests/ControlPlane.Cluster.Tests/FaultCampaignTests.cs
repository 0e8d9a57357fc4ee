using ControlPlane.Faults;
using ControlPlane.Faults.Reporting;
using ControlPlane.Faults.Scenarios;
using Xunit.Abstractions;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// The fault campaign's short variant (docs/reliability.md) against the shared cluster: one kill -9 of
/// a silo, one PostgreSQL immediate restart (and the hostile requests when they are built), each under
/// paced load with retries, then every check. The fleet scenarios are left to the full campaign: this
/// cluster's reconciler gives up on an agent after 5 s.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class FaultCampaignTests(LocalCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task The_short_campaign_keeps_every_check()
    {
        var options = new CampaignOptions
        {
            Scenarios = "short",
            Warmup = TimeSpan.FromSeconds(5),
            Recovery = TimeSpan.FromSeconds(20),
            Seed = 16,
        };
        var scenarios = ScenarioCatalog.Select(options.Scenarios);
        Assert.DoesNotContain(scenarios, s => s.TouchesFleet);
        var log = new StringWriter();
        CampaignResult result;
        try
        {
            using var campaign = new Campaign(cluster.FaultTarget, options, TextWriter.Synchronized(log));
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            result = await campaign.RunAsync(scenarios, "FaultCampaignTests (short)", limit.Token);
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
        var report = new StringWriter();
        ReportWriter.WriteText(result, report);
        output.WriteLine(report.ToString());

        Assert.Equal(ScenarioCatalog.Short.Count, result.Scenarios.Count);
        foreach (var scenario in result.Scenarios)
        {
            Assert.True(scenario.Acknowledged > 0, $"{scenario.Name}: no request was acknowledged");
            var failed = scenario.Checks.Where(c => !c.Passed).Select(c => $"{scenario.Name}: {c.Name}: {c.Violations} — {string.Join(" | ", c.Examples)}").ToList();
            Assert.True(failed.Count == 0, string.Join('\n', failed));
        }
    }
}
