using ControlPlane.Faults.Analysis;
using ControlPlane.Faults.Checks;

namespace ControlPlane.Faults.Reporting;

/// <summary>What one scenario measured and found.</summary>
public sealed record ScenarioResult(
    string Name,
    string Description,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    int Requests,
    int Acknowledged,
    IReadOnlyList<FaultEvent> Faults,
    IReadOnlyList<FaultWindow> Windows,
    double LongestGapSeconds,
    IReadOnlyList<RestartMeasure> Restarts,
    IReadOnlyDictionary<string, int> StatusCounts,
    IReadOnlyDictionary<string, int> HostileStatusCounts,
    double AcknowledgedWithin15s,
    int OperationsNotTerminal,
    IReadOnlyList<CheckResult> Checks,
    IReadOnlyList<string> Notes,
    string HistoryFile)
{
    public bool Passed => Checks.All(c => c.Passed);

    public bool SafetyPassed => Checks.Where(c => c.Safety).All(c => c.Passed);
}
