namespace ControlPlane.Faults.Hostile;

/// <summary>
/// What the gateway answered to hostile requests. <paramref name="StatusCounts"/> is keyed "Code" or "Code/REASON"
/// (the ErrorInfo reason), e.g. "InvalidArgument/MALFORMED_REQUEST"; <paramref name="Violations"/> lists every answer the
/// API does not allow: UNKNOWN or INTERNAL, a failure of the transport (a dropped connection), an error without ErrorInfo,
/// an error message longer than <see cref="MaxMessageLength"/>, a duplicate request_id accepted twice.
/// </summary>
public sealed record HostileReport(IReadOnlyDictionary<string, int> StatusCounts, IReadOnlyList<string> Violations)
{
    /// <summary>docs/api.md: an error message is at most 400 characters, and a note of how many were cut (under 20).</summary>
    public const int MaxMessageLength = 420;

    /// <summary>How many requests were answered with this status (and reason, when given).</summary>
    public int Count(string key) => StatusCounts.TryGetValue(key, out var n) ? n : 0;
}
