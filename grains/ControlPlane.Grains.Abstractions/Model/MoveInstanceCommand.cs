namespace ControlPlane.Model;

/// <summary>Moves an instance off <see cref="FromServerId"/>: live (drain) or by re-creating it (the server failed).</summary>
[GenerateSerializer, Immutable, Alias("cp.MoveInstanceCommand")]
public sealed record MoveInstanceCommand(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string FromServerId,
    [property: Id(2)] bool Live);
