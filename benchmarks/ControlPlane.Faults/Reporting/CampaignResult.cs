namespace ControlPlane.Faults.Reporting;

/// <summary>A whole campaign: how it was run and each scenario's result.</summary>
public sealed record CampaignResult(DateTimeOffset Started, DateTimeOffset Ended, double Rate, int Seed, string Command, IReadOnlyList<ScenarioResult> Scenarios)
{
    public bool Passed => Scenarios.All(s => s.Passed);
}
