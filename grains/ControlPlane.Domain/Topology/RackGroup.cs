namespace ControlPlane.Domain.Topology;

/// <summary><see cref="Racks"/> racks of <see cref="ServersPerRack"/> servers of one SKU (the topology file's shape).</summary>
public sealed record RackGroup(
    string Sku,
    int Racks,
    int ServersPerRack);
