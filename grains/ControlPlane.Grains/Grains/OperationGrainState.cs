using ControlPlane.Model;

namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.OperationGrainState")]
public sealed class OperationGrainState
{
    [Id(0)] public OperationInfo? Operation { get; set; }
    [Id(1)] public InstanceInfo? Instance { get; set; }
    [Id(2)] public string GpuModel { get; set; } = "";
}
