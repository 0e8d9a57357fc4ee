using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;
using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Servers;

namespace ControlPlane.Grains.Servers;

[GenerateSerializer, Alias("cp.ServerState")]
public sealed class ServerState
{
    /// <summary>The name the server grain stores this state under.</summary>
    public const string Name = "server";

    [Id(0)] public Dictionary<string, ServerAllocation> Allocations { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public ServerLifecycle Lifecycle { get; set; } = ServerLifecycle.Active;
    [Id(2)] public string LifecycleReason { get; set; } = "";

    /// <summary>The drain operation the server is DRAINING under, or that drained it last; empty once a drain is interrupted.</summary>
    [Id(3)] public string DrainOperationId { get; set; } = "";

    /// <summary>True once the server emptied under <see cref="DrainOperationId"/>.</summary>
    [Id(4)] public bool DrainDone { get; set; }

    /// <summary>What the server tells its zone: free capacity and instances as stored, with the agent's reachability as last seen (methods, not properties: the state is stored as JSON).</summary>
    public ServerUsage UsageOn(ServerSpec spec, bool agentReachable) =>
        new(spec.Capacity - AllocatedResources(), [.. Allocations.Keys], Lifecycle, agentReachable)
        {
            Groups = Allocations.Values.Where(a => a.AntiAffinityGroup.Length > 0)
                .ToImmutableDictionary(a => a.InstanceId, a => a.AntiAffinityGroup, StringComparer.Ordinal),
        };

    public ResourceAmount AllocatedResources() => Allocations.Values.Aggregate(ResourceAmount.Zero, (sum, a) => sum + a.Resources);
}
