using ControlPlane.Grains.Abstractions.Audit;

namespace ControlPlane.Grains.Audit;

public static class AuditFilter
{
    public static bool Matches(AuditRecord r, AuditQuery q) =>
        r.Sequence > q.AfterSequence
        && (q.TenantId.Length == 0 || r.Entry.TenantId == q.TenantId)
        && (q.Principal.Length == 0 || r.Entry.Principal == q.Principal)
        && (q.Since is null || r.Time >= q.Since)
        && (q.Until is null || r.Time < q.Until);
}
