namespace ControlPlane.Grains.Abstractions.Audit;

/// <summary>Where the retained audit log starts: the last pruned record's sequence and hash (sequence 0 and the genesis hash when nothing was pruned).</summary>
[GenerateSerializer, Immutable, Alias("cp.AuditCheckpoint")]
public sealed record AuditCheckpoint(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string Hash,
    [property: Id(2)] DateTimeOffset? Time)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static AuditCheckpoint Genesis { get; } = new(0, GenesisHash, null);
}
