namespace ControlPlane.Grains.Abstractions.Instances;

/// <summary>
/// Moves an instance off <see cref="FromServerId"/>: live (drain) or by re-creating it (the server
/// failed) — in its region, or, for a failover or failback, into <see cref="TargetRegion"/>
/// (trying <see cref="PreferServerId"/>, its reservation, first).
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.MoveInstanceCommand")]
public sealed record MoveInstanceCommand(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string FromServerId,
    [property: Id(2)] bool Live)
{
    [Id(3)] public string TargetRegion { get; init; } = "";
    [Id(4)] public string PreferServerId { get; init; } = "";
}
