using ControlPlane.Faults.Hostile;

namespace ControlPlane.Faults.Scenarios;

/// <summary>
/// 2,000 malformed or hostile requests (Hostile/HostileRequests.cs) sent while the load runs, spread
/// over the gateways; their statuses join the scenario's histogram and their violations its checks.
/// Compiled only when the Hostile folder exists (see the csproj).
/// </summary>
public static class HostileScenario
{
    public const int Count = 2000;

    public static Scenario Scenario { get; } = new("hostile", $"{Count:N0} malformed or hostile requests mixed into the load", false, RunAsync);

    private static async Task RunAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        var share = Count / context.Clients.Gateways;
        var reports = await Task.WhenAll(Enumerable.Range(0, context.Clients.Gateways).Select(g =>
            HostileRequests.RunAsync(context.Clients.Invoker(g), context.Clients.ToolingHeaders, g == 0 ? Count - share * (context.Clients.Gateways - 1) : share, cancellationToken)));
        context.Driver.Record(new Analysis.FaultEvent($"{Count:N0} hostile requests", at, DateTimeOffset.UtcNow));
        foreach (var report in reports)
        {
            foreach (var (status, count) in report.StatusCounts) context.ExtraStatusCounts.AddOrUpdate(status, count, (_, n) => n + count);
            foreach (var violation in report.Violations) context.ExtraViolations.Enqueue(violation);
        }
        context.Log.WriteLine($"  {at:HH:mm:ss.f} {Count:N0} hostile requests sent in {(DateTimeOffset.UtcNow - at).TotalSeconds:0.0} s: " +
            string.Join(", ", context.ExtraStatusCounts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
    }
}
