namespace ControlPlane.Domain.Servers;

/// <summary>
/// How many servers of one zone may be declared failed because their agents fell silent. One silent
/// agent is a dead server; many at once are far more likely the network or the agent fleet, and
/// evacuating them all would move the zone's whole load onto what is left. So a zone grants a
/// failure by silence only while the servers silent now, plus those it declared failed by silence
/// within <see cref="Window"/>, stay within <see cref="LimitFor"/>. Beyond, the zone is
/// <see cref="Withholding"/>: the servers stay ACTIVE and unreachable (suspect, taking no new instance)
/// until their agents answer again or an operator marks them failed; and once the silence is within
/// the limit again, failures by silence wait one more <c>settle</c> period, so that the stragglers of
/// the outage (a breaker still open) are not failed as it ends. Kept in memory by the zone: a new
/// activation starts with an empty window.
/// </summary>
public sealed class SilentFailureBudget(int maxServers, double maxShare, TimeSpan window, TimeSpan settle)
{
    private readonly Queue<DateTimeOffset> _granted = new();
    private DateTimeOffset _calmSince = DateTimeOffset.MinValue;

    public TimeSpan Window { get; } = window;

    /// <summary>Whether the zone's silence is beyond the limit: a network or fleet outage presumed.</summary>
    public bool Withholding { get; private set; }

    /// <summary>The most servers of a zone of this size that may be failed by silence at once: the share, at least one, at most the cap.</summary>
    public int LimitFor(int zoneServers) =>
        Math.Max(1, Math.Min(maxServers, (int)Math.Ceiling(maxShare * zoneServers)));

    /// <summary>Servers declared failed by silence within the window ending now.</summary>
    public int GrantedWithin(DateTimeOffset now)
    {
        while (_granted.TryPeek(out var at) && now - at >= Window) _granted.Dequeue();
        return _granted.Count;
    }

    /// <summary>
    /// Asked by a server silent for long enough (counted in <paramref name="silentNow"/>): grants (and
    /// counts) its failure when the zone's silence stays within the limit and no outage ended less than
    /// the settle period ago; refuses otherwise, and starts withholding when the silence is beyond the limit.
    /// </summary>
    public bool TryGrant(int silentNow, int zoneServers, DateTimeOffset now)
    {
        if (silentNow + GrantedWithin(now) > LimitFor(zoneServers))
        {
            Withholding = true;
            return false;
        }
        if (Withholding || now - _calmSince < settle) return false;
        _granted.Enqueue(now);
        return true;
    }

    /// <summary>
    /// The zone's silence as seen at a reconcile pass: withholding ends once it is within the limit
    /// again (true when it just ended), and the settle period starts.
    /// </summary>
    public bool Observe(int silentNow, int zoneServers, DateTimeOffset now)
    {
        if (!Withholding || silentNow + GrantedWithin(now) > LimitFor(zoneServers)) return false;
        Withholding = false;
        _calmSince = now;
        return true;
    }
}
