using ControlPlane.Grains.Abstractions.Instances;

namespace ControlPlane.Grains.Instances;

[GenerateSerializer, Alias("cp.InstanceGrainState")]
public sealed class InstanceGrainState
{
    [Id(0)] public InstanceInfo? Instance { get; set; }
}
