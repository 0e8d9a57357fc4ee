namespace ControlPlane.Grains.Events;

/// <summary>
/// One silo's view of which ops centres have an active silo, turned into changes to report. The
/// first look reports every centre present (so a return that happened while no silo watched still
/// closes a takeover); afterwards only changes are reported. A centre is reported lost only after
/// this silo saw it present, so a cluster whose silos start one by one reports no loss; and never
/// the silo's own centre, which is present as long as the silo runs.
/// </summary>
public sealed class OpsCentreView(string localOpsCentre)
{
    private HashSet<string>? _present;

    public IReadOnlyList<(string OpsCentre, bool Present)> Update(IEnumerable<string> present)
    {
        var now = present.Where(c => c.Length > 0).ToHashSet(StringComparer.Ordinal);
        var changes = new List<(string, bool)>();
        changes.AddRange(now.Where(c => _present is null || !_present.Contains(c)).Order(StringComparer.Ordinal).Select(c => (c, true)));
        if (_present is not null)
        {
            changes.AddRange(_present.Where(c => !now.Contains(c) && c != localOpsCentre).Order(StringComparer.Ordinal).Select(c => (c, false)));
        }
        _present = now;
        return changes;
    }
}
