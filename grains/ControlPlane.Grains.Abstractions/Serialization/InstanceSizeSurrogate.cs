using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;
using Orleans.Serialization.Cloning;

namespace ControlPlane.Grains.Abstractions.Serialization;

/// <summary>How <see cref="InstanceSize"/>, a type of the pure domain library, crosses between grains and silos.</summary>
[GenerateSerializer, Immutable, Alias("cp.InstanceSize")]
public readonly record struct InstanceSizeSurrogate(
    [property: Id(0)] string Name, [property: Id(1)] string Family, [property: Id(2)] ResourceAmount Resources, [property: Id(3)] string GpuModel);

[RegisterConverter]
public sealed class InstanceSizeConverter : IConverter<InstanceSize, InstanceSizeSurrogate>
{
    public InstanceSize ConvertFromSurrogate(in InstanceSizeSurrogate s) => new(s.Name, s.Family, s.Resources, s.GpuModel);

    public InstanceSizeSurrogate ConvertToSurrogate(in InstanceSize v) => new(v.Name, v.Family, v.Resources, v.GpuModel);
}

[RegisterCopier]
public sealed class InstanceSizeCopier : ShallowCopier<InstanceSize>;
