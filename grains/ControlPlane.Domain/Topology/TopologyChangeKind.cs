namespace ControlPlane.Domain.Topology;

public enum TopologyChangeKind
{
    /// <summary>A zone and its racks of servers joined a region.</summary>
    AddZone = 1,
    /// <summary>A region became production or disaster recovery.</summary>
    SetRegionRole = 2,
    /// <summary>A zone started retiring: cordoned, then drained.</summary>
    RetireZone = 3,
    /// <summary>A retiring zone, once empty, left the topology.</summary>
    RemoveZone = 4,
}
