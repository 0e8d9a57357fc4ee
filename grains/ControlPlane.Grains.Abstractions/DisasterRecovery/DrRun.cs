using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.DisasterRecovery;

/// <summary>
/// A failover or failback of a region and its progress: <see cref="Done"/> of <see cref="Total"/>
/// protected instances run where they should; <see cref="Failed"/> gave up (instance id → last
/// error); <see cref="Lost"/> are the region's unprotected instances a failover leaves behind.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.DrRun")]
public sealed record DrRun(
    [property: Id(0)] bool Failover,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset StartTime,
    [property: Id(4)] DateTimeOffset? EndTime,
    [property: Id(5)] int Total,
    [property: Id(6)] int Done,
    [property: Id(7)] ImmutableDictionary<string, string> Failed,
    [property: Id(8)] ImmutableArray<string> Lost);
