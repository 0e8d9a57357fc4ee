using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Servers;

namespace ControlPlane.Grains.Abstractions.Servers;

/// <summary>
/// A server's free capacity and the instances it holds, as its grain reports them after a change,
/// with whether it takes new instances (<see cref="Schedulable"/>) and whether the zone's reconcile
/// sweep should visit it at every pass (<see cref="NeedsAttention"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.ServerUsage")]
public sealed record ServerUsage(
    [property: Id(0)] ResourceAmount Free,
    [property: Id(1)] ImmutableArray<string> InstanceIds,
    [property: Id(2)] ServerLifecycle Lifecycle = ServerLifecycle.Active,
    [property: Id(3)] bool AgentReachable = true)
{
    /// <summary>The anti-affinity group key of each grouped instance the server holds (instance id → key).</summary>
    [Id(4)] public ImmutableDictionary<string, string> Groups { get; init; } = ImmutableDictionary<string, string>.Empty;

    public bool Schedulable => Lifecycle == ServerLifecycle.Active && AgentReachable;

    public bool NeedsAttention => !Schedulable;
}
