using System.Collections.Immutable;

namespace ControlPlane.Model;

/// <summary>A server's free capacity and the instances it holds, as its grain reports them after a change.</summary>
[GenerateSerializer, Immutable, Alias("cp.ServerUsage")]
public sealed record ServerUsage(
    [property: Id(0)] ResourceAmount Free,
    [property: Id(1)] ImmutableArray<string> InstanceIds);
