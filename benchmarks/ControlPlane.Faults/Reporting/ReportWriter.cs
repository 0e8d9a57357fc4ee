using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPlane.Faults.Checks;

namespace ControlPlane.Faults.Reporting;

/// <summary>The campaign's report: a readable one, and the same as JSON.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string ToJson(CampaignResult result) => JsonSerializer.Serialize(result, Json);

    public static void WriteText(CampaignResult result, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine($"fault campaign {result.Started:yyyy-MM-dd HH:mm} UTC, {result.Rate.ToString("0.#", CultureInfo.InvariantCulture)} requests/s offered, seed {result.Seed}");
        o.WriteLine($"  {result.Command}");
        foreach (var s in result.Scenarios) WriteScenario(s, o);
        o.WriteLine();
        o.WriteLine($"{"scenario",-14} {"requests",8} {"acked",6} {"≤15 s",6} {"window",8} {"longest",8} {"restart→serving",16} {"not terminal",12}  result");
        foreach (var s in result.Scenarios)
        {
            var window = s.Windows.Count == 0 ? "-" : $"{s.Windows.Max(w => w.WindowSeconds):0.0} s";
            var restart = RestartColumn(s.Restarts);
            var verdict = s.Passed ? "pass" : $"FAIL ({string.Join("; ", s.Checks.Where(c => !c.Passed).Select(c => c.Name))})";
            o.WriteLine($"{s.Name,-14} {s.Requests,8} {s.Acknowledged,6} {s.AcknowledgedWithin15s,6:P0} {window,8} {s.LongestGapSeconds,6:0.0} s {restart,16} {s.OperationsNotTerminal,12}  {verdict}");
        }
        o.WriteLine(result.Passed ? "every check held" : "SOME CHECKS FAILED");
    }

    /// <summary>Each restart's seconds to serving, or "never" for one that served nothing before the scenario ended.</summary>
    public static string RestartColumn(IReadOnlyList<RestartMeasure> restarts) => restarts.Count == 0 ? "-"
        : string.Join("/", restarts.Select(r => r.ServingAfterSeconds is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "never"))
            + (restarts.Any(r => r.ServingAfterSeconds is not null) ? " s" : "");

    private static void WriteScenario(ScenarioResult s, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine($"== {s.Name}: {s.Description}");
        o.WriteLine($"   {s.Requests} requests, {s.Acknowledged} acknowledged, {s.AcknowledgedWithin15s:P1} within 15 s of their first attempt; longest span without acknowledgement {s.LongestGapSeconds:0.0} s");
        foreach (var w in s.Windows) o.WriteLine($"   fault {w.Start:HH:mm:ss.f}–{w.End:HH:mm:ss.f} {w.Fault}: client-visible window {w.WindowSeconds:0.0} s");
        foreach (var r in s.Restarts) o.WriteLine($"   silo {r.Silo} started again at {r.Started:HH:mm:ss.f} ({r.Why}): serving after {(r.ServingAfterSeconds is { } v ? $"{v:0.0} s" : "(no acknowledgement through it)")}");
        o.WriteLine($"   attempts by status: {string.Join(", ", s.StatusCounts.Select(c => $"{c.Key} {c.Value}"))}");
        if (s.HostileStatusCounts.Count > 0) o.WriteLine($"   hostile requests by status: {string.Join(", ", s.HostileStatusCounts.Select(c => $"{c.Key} {c.Value}"))}");
        o.WriteLine($"   operations not terminal 60 s after the last fault: {s.OperationsNotTerminal}");
        foreach (var n in s.Notes) o.WriteLine($"   note: {n}");
        foreach (var c in s.Checks) WriteCheck(c, o);
        o.WriteLine($"   history: {s.HistoryFile}");
    }

    private static void WriteCheck(CheckResult c, TextWriter o)
    {
        o.WriteLine($"   [{(c.Passed ? "ok" : "FAIL")}] {c.Name}{(c.Passed ? "" : $": {c.Violations} violation(s)")}");
        foreach (var e in c.Examples) o.WriteLine($"          {e}");
    }
}
