namespace ControlPlane.Grains.Abstractions.Audit;

/// <summary>
/// What one audited call did: who (principal, role, ops centre), what (action on target, tenant),
/// the decision ("allowed", "denied" or "failed") with its reason, and the trace it ran in.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] string Principal,
    [property: Id(1)] string Role,
    [property: Id(2)] string OpsCentre,
    [property: Id(3)] string Action,
    [property: Id(4)] string Target,
    [property: Id(5)] string TenantId,
    [property: Id(6)] string Decision,
    [property: Id(7)] string Reason,
    [property: Id(8)] string TraceId);
