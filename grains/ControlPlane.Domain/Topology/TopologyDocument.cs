namespace ControlPlane.Domain.Topology;

/// <summary>The JSON shape of a topology file (deploy/topology/*.json).</summary>
public sealed class TopologyDocument
{
    public List<OpsCentreDocument> OpsCentres { get; set; } = [];
    public List<SkuDocument> Skus { get; set; } = [];
    public List<RegionDocument> Regions { get; set; } = [];
}

public sealed class OpsCentreDocument
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
}

public sealed class SkuDocument
{
    public string Id { get; set; } = "";
    public string Family { get; set; } = "";
    public long Cores { get; set; }
    public long MemoryGib { get; set; }
    public long Gpus { get; set; }
    public string GpuModel { get; set; } = "";
}

public sealed class RegionDocument
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Role { get; set; } = "";
    public string OpsCentre { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2 code of the region's country (default FR, the platform's).</summary>
    public string Country { get; set; } = "FR";
    public List<ZoneDocument> Zones { get; set; } = [];
}

public sealed class ZoneDocument
{
    public string Id { get; set; } = "";
    public string Datacentre { get; set; } = "";
    public List<RackGroupDocument> Racks { get; set; } = [];
}

/// <summary><see cref="Racks"/> racks of <see cref="ServersPerRack"/> servers of one SKU.</summary>
public sealed class RackGroupDocument
{
    public string Sku { get; set; } = "";
    public int Racks { get; set; }
    public int ServersPerRack { get; set; }
}
