using ControlPlane.Model;

namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.ServiceGrainState")]
public sealed class ServiceGrainState
{
    [Id(0)] public ServiceInfo? Service { get; set; }
}
