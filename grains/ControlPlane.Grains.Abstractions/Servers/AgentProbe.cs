using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Servers;

/// <summary>What a server's agent answered when asked what it runs: the instance ids, or the error.</summary>
[GenerateSerializer, Immutable, Alias("cp.AgentProbe")]
public sealed record AgentProbe(
    [property: Id(0)] bool Answered,
    [property: Id(1)] ImmutableArray<string> InstanceIds,
    [property: Id(2)] string Error,
    [property: Id(3)] DateTimeOffset StartTime);
