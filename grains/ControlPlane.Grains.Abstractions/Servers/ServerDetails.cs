using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Servers;

namespace ControlPlane.Grains.Abstractions.Servers;

[GenerateSerializer, Immutable, Alias("cp.ServerDetails")]
public sealed record ServerDetails(
    [property: Id(0)] string Id,
    [property: Id(1)] string Zone,
    [property: Id(2)] string Region,
    [property: Id(3)] string Datacentre,
    [property: Id(4)] string Rack,
    [property: Id(5)] string Sku,
    [property: Id(6)] string GpuModel,
    [property: Id(7)] ResourceAmount Capacity,
    [property: Id(8)] ResourceAmount Allocated,
    [property: Id(9)] ImmutableArray<ServerAllocation> Allocations)
{
    public ResourceAmount Free => Capacity - Allocated;

    [Id(10)] public ServerLifecycle Lifecycle { get; init; } = ServerLifecycle.Active;

    /// <summary>Why the server is in its lifecycle state (e.g. "AgentUnreachable", "Operator").</summary>
    [Id(11)] public string LifecycleReason { get; init; } = "";

    [Id(12)] public ServerAgentStatus Agent { get; init; } = ServerAgentStatus.Unknown;

    /// <summary>The drain operation running on the server, or the one that drained it last; empty when none (or the last was interrupted).</summary>
    [Id(13)] public string DrainOperationId { get; init; } = "";

    /// <summary>True once the drain of <see cref="DrainOperationId"/> emptied the server (it stays true when the server is put back in service).</summary>
    [Id(14)] public bool DrainDone { get; init; }
}
