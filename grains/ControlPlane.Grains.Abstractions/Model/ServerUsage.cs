namespace ControlPlane.Model;

/// <summary>A server's free capacity and instance count, as its grain reports it after a change.</summary>
[GenerateSerializer, Immutable, Alias("cp.ServerUsage")]
public sealed record ServerUsage(
    [property: Id(0)] ResourceAmount Free,
    [property: Id(1)] int InstanceCount);
