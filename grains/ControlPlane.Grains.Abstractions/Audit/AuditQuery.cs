namespace ControlPlane.Grains.Abstractions.Audit;

/// <summary>Audit records to list, oldest first: filters ("" or null for any) and the page (after a sequence, at most <see cref="Limit"/>).</summary>
[GenerateSerializer, Immutable, Alias("cp.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Principal,
    [property: Id(2)] DateTimeOffset? Since,
    [property: Id(3)] DateTimeOffset? Until,
    [property: Id(4)] long AfterSequence,
    [property: Id(5)] int Limit);
