using ControlPlane.Model;

namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.InstanceGrainState")]
public sealed class InstanceGrainState
{
    [Id(0)] public InstanceInfo? Instance { get; set; }
}
