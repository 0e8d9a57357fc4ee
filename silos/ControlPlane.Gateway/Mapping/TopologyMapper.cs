using ControlPlane.Domain.Topology;
using Google.Protobuf.WellKnownTypes;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Mapping;

/// <summary>Topology changes ↔ wire.</summary>
public static class TopologyMapper
{
    public static V1.TopologyChange ToProto(this TopologyChange c)
    {
        var proto = new V1.TopologyChange
        {
            Version = c.Version, Time = Timestamp.FromDateTimeOffset(c.At), Kind = (V1.TopologyChangeKind)(int)c.Kind,
            Actor = c.Actor, Reason = c.Reason, Region = c.Region, Zone = c.Zone, Datacentre = c.Datacentre,
            Role = c.Kind == TopologyChangeKind.SetRegionRole ? c.Role.ToProto() : V1.RegionRole.Unspecified,
        };
        if (!c.Racks.IsDefault) proto.Racks.AddRange(c.Racks.Select(g => g.ToProto()));
        return proto;
    }

    public static V1.RackGroup ToProto(this RackGroup g) => new() { Sku = g.Sku, Racks = g.Racks, ServersPerRack = g.ServersPerRack };

    public static RackGroup ToModel(this V1.RackGroup g) => new(g.Sku, g.Racks, g.ServersPerRack);

    public static V1.RegionRole ToProto(this RegionRole role) =>
        role == RegionRole.Production ? V1.RegionRole.Production : V1.RegionRole.DisasterRecovery;
}
