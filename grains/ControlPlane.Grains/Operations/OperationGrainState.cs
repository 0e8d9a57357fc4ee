using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Services;

namespace ControlPlane.Grains.Operations;

[GenerateSerializer, Alias("cp.OperationGrainState")]
public sealed class OperationGrainState
{
    [Id(0)] public OperationInfo? Operation { get; set; }

    /// <summary>The instance as the operation wants it (for a move: on its new server).</summary>
    [Id(1)] public InstanceInfo? Instance { get; set; }
    [Id(2)] public string GpuModel { get; set; } = "";

    /// <summary>For a move: the server and zone the instance leaves, and whether it moves live.</summary>
    [Id(3)] public string FromServerId { get; set; } = "";
    [Id(4)] public string FromZone { get; set; } = "";
    [Id(5)] public bool Live { get; set; }

    /// <summary>For a zone-redundant create or a service: every instance of the set, as placed.</summary>
    [Id(6)] public List<InstanceInfo> Members { get; set; } = [];

    /// <summary>For a service order or cancellation: the service (the instances it runs on are <see cref="Members"/>).</summary>
    [Id(7)] public ServiceInfo? Service { get; set; }

    /// <summary>For a failover or failback: the region the instance moves to, and the server it tries first (its reservation).</summary>
    [Id(8)] public string TargetRegion { get; set; } = "";
    [Id(9)] public string PreferServerId { get; set; } = "";

    /// <summary>The body of the request that started the operation: a retry must repeat it (empty for the platform's own moves).</summary>
    [Id(10)] public string? Fingerprint { get; set; }
}
