using ControlPlane.Domain.Topology;
using Orleans.Serialization.Cloning;

namespace ControlPlane.Grains.Abstractions.Serialization;

/// <summary>How <see cref="RackGroup"/>, a type of the pure domain library, crosses between grains and silos.</summary>
[GenerateSerializer, Immutable, Alias("cp.RackGroup")]
public readonly record struct RackGroupSurrogate([property: Id(0)] string Sku, [property: Id(1)] int Racks, [property: Id(2)] int ServersPerRack);

[RegisterConverter]
public sealed class RackGroupConverter : IConverter<RackGroup, RackGroupSurrogate>
{
    public RackGroup ConvertFromSurrogate(in RackGroupSurrogate s) => new(s.Sku, s.Racks, s.ServersPerRack);

    public RackGroupSurrogate ConvertToSurrogate(in RackGroup v) => new(v.Sku, v.Racks, v.ServersPerRack);
}

[RegisterCopier]
public sealed class RackGroupCopier : ShallowCopier<RackGroup>;
