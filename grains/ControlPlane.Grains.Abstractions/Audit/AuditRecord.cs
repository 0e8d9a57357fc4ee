namespace ControlPlane.Grains.Abstractions.Audit;

/// <summary>
/// One record of the audit log: an entry with its place in the chain. <see cref="Hash"/> is the
/// SHA-256 of the record's content and <see cref="PreviousHash"/>, so editing, removing or
/// reordering any record breaks the chain from there on.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] AuditEntry Entry,
    [property: Id(3)] string PreviousHash,
    [property: Id(4)] string Hash);
