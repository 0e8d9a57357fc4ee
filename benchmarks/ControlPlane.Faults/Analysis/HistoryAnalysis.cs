using ControlPlane.Faults.Load;

namespace ControlPlane.Faults.Analysis;

/// <summary>
/// Client-side measures of a scenario's history: spans without any acknowledgement (overall and per
/// fault), the status of every attempt, the share of requests acknowledged soon enough, and how long
/// a restarted silo took to serve again.
/// </summary>
public static class HistoryAnalysis
{
    /// <summary>How long after a fault ends a span without acknowledgement that began in it still counts as its.</summary>
    public static readonly TimeSpan FaultReach = TimeSpan.FromSeconds(30);

    /// <summary>The spans between consecutive acknowledgements in [<paramref name="from"/>, <paramref name="to"/>], the bounds included.</summary>
    public static IReadOnlyList<Gap> Gaps(IEnumerable<RequestRecord> requests, DateTimeOffset from, DateTimeOffset to)
    {
        var times = requests.Where(r => r.Acknowledged && r.Answered is { } a && a >= from && a <= to).Select(r => r.Answered!.Value)
            .Append(from).Append(to).Order().ToList();
        return [.. times.Zip(times.Skip(1), (a, b) => new Gap(a, b))];
    }

    /// <summary>The longest span with no acknowledgement between the first request and the end of the last attempt.</summary>
    public static Gap LongestGap(IReadOnlyCollection<RequestRecord> requests) =>
        requests.Count == 0 ? Gap.None : Gaps(requests, requests.Min(r => r.Sent), requests.Max(LastSeen)).MaxBy(g => g.Length) ?? Gap.None;

    /// <summary>The longest span with no acknowledgement that overlaps the fault (up to <see cref="FaultReach"/> after it ends).</summary>
    public static Gap FaultWindow(IReadOnlyCollection<RequestRecord> requests, FaultEvent fault)
    {
        if (requests.Count == 0) return Gap.None;
        var reach = fault.End + FaultReach;
        return Gaps(requests, requests.Min(r => r.Sent), requests.Max(LastSeen)).Where(g => g.From <= reach && g.To >= fault.Start).MaxBy(g => g.Length) ?? Gap.None;
    }

    /// <summary>When the client last heard of a request: its answer, else the end of its last attempt, else its send.</summary>
    private static DateTimeOffset LastSeen(RequestRecord r) =>
        r.Answered ?? (r.Attempts.Count > 0 ? r.Attempts.Max(a => a.Ended) : r.Sent);

    /// <summary>How many attempts ended with each status (OK, UNAVAILABLE, DEADLINE_EXCEEDED …).</summary>
    public static IReadOnlyDictionary<string, int> StatusCounts(IEnumerable<RequestRecord> requests) =>
        requests.SelectMany(r => r.Attempts).GroupBy(a => a.Status).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The share of requests acknowledged within <paramref name="within"/> of their first attempt.</summary>
    public static double AcknowledgedWithin(IReadOnlyCollection<RequestRecord> requests, TimeSpan within) =>
        requests.Count == 0 ? 1 : (double)requests.Count(r => r.Acknowledged && r.Answered - r.Sent <= within) / requests.Count;

    /// <summary>
    /// From the moment the silo was started again to the first acknowledgement its gateway (silo − 1)
    /// gave to an attempt sent after that moment; null if it gave none.
    /// </summary>
    public static TimeSpan? RestartToServing(IEnumerable<RequestRecord> requests, SiloRestart restart) =>
        requests.SelectMany(r => r.Attempts)
            .Where(a => a.Gateway == restart.Silo - 1 && a.Status == "OK" && a.Sent >= restart.Started)
            .Select(a => (TimeSpan?)(a.Ended - restart.Started)).Min();
}
