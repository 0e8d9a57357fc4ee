using ControlPlane.Grains.Abstractions.Services;

namespace ControlPlane.Grains.Services;

[GenerateSerializer, Alias("cp.ServiceGrainState")]
public sealed class ServiceGrainState
{
    [Id(0)] public ServiceInfo? Service { get; set; }
}
