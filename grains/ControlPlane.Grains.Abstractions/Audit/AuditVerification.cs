namespace ControlPlane.Grains.Abstractions.Audit;

/// <summary>
/// The outcome of checking the audit chain: <see cref="Valid"/>, how many records were checked from
/// the checkpoint, and otherwise the first broken record and what is wrong with it
/// ("altered", "missing", "reordered"; against the anchored head: "truncated", "rewritten", "checkpoint", "anchor").
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.AuditVerification")]
public sealed record AuditVerification(
    [property: Id(0)] bool Valid,
    [property: Id(1)] long Checked,
    [property: Id(2)] long FromSequence,
    [property: Id(3)] long BrokenSequence,
    [property: Id(4)] string Problem,
    [property: Id(5)] string Message);
