using ControlPlane.Domain.Capacity;
using Orleans.Serialization.Cloning;

namespace ControlPlane.Grains.Abstractions.Serialization;

/// <summary>How <see cref="ResourceAmount"/>, a type of the pure domain library, crosses between grains and silos.</summary>
[GenerateSerializer, Immutable, Alias("cp.ResourceAmount")]
public readonly record struct ResourceAmountSurrogate([property: Id(0)] long Cores, [property: Id(1)] long MemoryMib, [property: Id(2)] long Gpus);

[RegisterConverter]
public sealed class ResourceAmountConverter : IConverter<ResourceAmount, ResourceAmountSurrogate>
{
    public ResourceAmount ConvertFromSurrogate(in ResourceAmountSurrogate s) => new(s.Cores, s.MemoryMib, s.Gpus);

    public ResourceAmountSurrogate ConvertToSurrogate(in ResourceAmount v) => new(v.Cores, v.MemoryMib, v.Gpus);
}

[RegisterCopier]
public sealed class ResourceAmountCopier : ShallowCopier<ResourceAmount>;
