namespace ControlPlane.Grains.Abstractions.Topology;

/// <summary><see cref="Racks"/> racks of <see cref="ServersPerRack"/> servers of one SKU (the topology file's shape).</summary>
[GenerateSerializer, Immutable, Alias("cp.RackGroup")]
public sealed record RackGroup(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Racks,
    [property: Id(2)] int ServersPerRack);
