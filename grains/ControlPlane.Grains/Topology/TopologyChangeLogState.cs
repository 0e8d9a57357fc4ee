using ControlPlane.Domain.Topology;

namespace ControlPlane.Grains.Topology;

/// <summary>The topology change log: every change since the seed file, oldest first (version n at index n - 1).</summary>
[GenerateSerializer, Alias("cp.TopologyChangeLogState")]
public sealed class TopologyChangeLogState
{
    [Id(0)] public List<TopologyChange> Changes { get; set; } = [];
}
