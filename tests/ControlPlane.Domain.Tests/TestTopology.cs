using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;

namespace ControlPlane.Domain.Tests;

/// <summary>
/// A small platform for domain and grain tests: region "prod" with zones "prod-a" (4 servers of 16 cores)
/// and "prod-b" (4 servers of 16 cores, 2 of them with 2 L4 GPUs), region "multi" with two zones
/// of 2 servers, region "aff" with zone "aff-a" (3 servers), region "zr" with three zones of 3
/// servers, region "cat" with zone "cat-a" (4 servers, for the catalogue tests), region "svc" with zone
/// "svc-a" (3 servers of 16 cores and 1 with 2 L4 GPUs, for the service tests), region "drp" with zone
/// "drp-a" (the same, for the disaster-recovery tests, which fail it over to "drs", the only region
/// with the disaster-recovery role in the seed: zone "drs-a", 6 servers), region "dr" (piloted by rennes, in production like the platform's seed) with zone "dr-a" (6 servers), region "live" with zones "live-a" and "live-b" (2 servers each), changed live by the topology change tests. Each capacity-sensitive test owns a zone.
/// The workflow tests (one class per kind of operation) have regions of their own, "wf…" (see
/// <see cref="Workflows"/>), piloted by a third centre, "lyon", so that what idf and rennes pilot stays as it was.
/// </summary>
public static class TestTopology
{
    public static PlatformTopology Create() => PlatformTopology.FromDocument(new TopologyDocument
    {
        OpsCentres = [new() { Id = "idf" }, new() { Id = "rennes" }, new() { Id = "lyon" }],
        Skus =
        [
            new() { Id = "small", Family = "general-purpose", Cores = 16, MemoryGib = 64 },
            new() { Id = "gpu", Family = "gpu", Cores = 16, MemoryGib = 64, Gpus = 2, GpuModel = "L4" },
        ],
        Regions =
        [
            new()
            {
                Id = "prod", Role = "production", OpsCentre = "idf",
                Zones =
                [
                    new() { Id = "prod-a", Datacentre = "dc-a", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 4 }] },
                    new()
                    {
                        Id = "prod-b", Datacentre = "dc-b",
                        Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 2 }, new() { Sku = "gpu", Racks = 1, ServersPerRack = 2 }],
                    },
                ],
            },
            new()
            {
                Id = "multi", Role = "production", OpsCentre = "idf",
                Zones =
                [
                    new() { Id = "multi-a", Datacentre = "dc-m1", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 2 }] },
                    new() { Id = "multi-b", Datacentre = "dc-m2", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 2 }] },
                ],
            },
            new()
            {
                Id = "aff", Role = "production", OpsCentre = "idf",
                Zones = [new() { Id = "aff-a", Datacentre = "dc-f", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 3 }] }],
            },
            new()
            {
                Id = "zr", Role = "production", OpsCentre = "idf",
                Zones =
                [
                    new() { Id = "zr-a", Datacentre = "dc-z1", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 3 }] },
                    new() { Id = "zr-b", Datacentre = "dc-z2", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 3 }] },
                    new() { Id = "zr-c", Datacentre = "dc-z3", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 3 }] },
                ],
            },
            new()
            {
                Id = "cat", Role = "production", OpsCentre = "idf",
                Zones = [new() { Id = "cat-a", Datacentre = "dc-c", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 4 }] }],
            },
            new()
            {
                Id = "svc", Role = "production", OpsCentre = "idf",
                Zones =
                [
                    new()
                    {
                        Id = "svc-a", Datacentre = "dc-v",
                        Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 3 }, new() { Sku = "gpu", Racks = 1, ServersPerRack = 1 }],
                    },
                ],
            },
            new()
            {
                Id = "drp", Role = "production", OpsCentre = "idf",
                Zones =
                [
                    new()
                    {
                        Id = "drp-a", Datacentre = "dc-p",
                        Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 3 }, new() { Sku = "gpu", Racks = 1, ServersPerRack = 1 }],
                    },
                ],
            },
            new()
            {
                Id = "drs", Role = "disaster-recovery", OpsCentre = "rennes",
                Zones = [new() { Id = "drs-a", Datacentre = "dc-t", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 6 }] }],
            },
            new()
            {
                Id = "dr", Role = "production", OpsCentre = "rennes",
                Zones = [new() { Id = "dr-a", Datacentre = "dc-s", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 6 }] }],
            },
            new()
            {
                Id = "live", Role = "production", OpsCentre = "idf",
                Zones =
                [
                    new() { Id = "live-a", Datacentre = "dc-l1", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 2 }] },
                    new() { Id = "live-b", Datacentre = "dc-l2", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 2 }] },
                ],
            },
            new()
            {
                // Access-control tests only (servers decommissioned there, tenants reached through lockbox grants).
                Id = "sec", Role = "production", OpsCentre = "rennes",
                Zones = [new() { Id = "sec-a", Datacentre = "dc-x", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 4 }] }],
            },
            new()
            {
                // Residency tests: a region in another EU country, and one outside the EU.
                Id = "de", Role = "production", OpsCentre = "rennes", Country = "DE",
                Zones = [new() { Id = "de-a", Datacentre = "dc-de", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 2 }] }],
            },
            new()
            {
                Id = "ch", Role = "production", OpsCentre = "rennes", Country = "CH",
                Zones = [new() { Id = "ch-a", Datacentre = "dc-ch", Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = 2 }] }],
            },
            .. Workflows,
        ],
    });

    /// <summary>
    /// Regions of the workflow tests, each zone with servers of 16 cores ("wfi-a" also 1 with 2 L4
    /// GPUs): creates in "wfi-a", "wfi-b" (1 server) and "wfi-c" (1 server), deletes in "wfi-d" and
    /// "wfi-e" (1 server); moves in "wfm" ("wfm-a": 2 servers, "wfm-b": 1), "wfn" (1 server) and "wfo"
    /// (2 servers); zone-redundant sets in "wfz", "wfx" and "wfy" (zones of 1 server); services
    /// ordered in "wfs" (3 servers) and "wfr" (1), cancelled in "wft" (2) and "wfv" (1); drains in "wfd" ("wfd-a" and
    /// "wfd-b": 2 servers, "wfd-c": 1) and "wfe" (1 server: nowhere to move to).
    /// </summary>
    internal static RegionDocument[] Workflows =>
    [
        Region("wfi", ("wfi-a", 2, 1), ("wfi-b", 1, 0), ("wfi-c", 1, 0), ("wfi-d", 2, 0), ("wfi-e", 1, 0)),
        Region("wfm", ("wfm-a", 2, 0), ("wfm-b", 1, 0)),
        Region("wfn", ("wfn-a", 1, 0)),
        Region("wfo", ("wfo-a", 2, 0)),
        Region("wfz", ("wfz-a", 1, 0), ("wfz-b", 1, 0), ("wfz-c", 1, 0)),
        Region("wfx", ("wfx-a", 1, 0), ("wfx-b", 1, 0)),
        Region("wfy", ("wfy-a", 1, 0), ("wfy-b", 1, 0)),
        Region("wfs", ("wfs-a", 3, 0)),
        Region("wfr", ("wfr-a", 1, 0)),
        Region("wft", ("wft-a", 2, 0)),
        Region("wfv", ("wfv-a", 1, 0)),
        Region("wfd", ("wfd-a", 2, 0), ("wfd-b", 2, 0), ("wfd-c", 1, 0)),
        Region("wfe", ("wfe-a", 1, 0)),
    ];

    /// <summary>The id of server <paramref name="index"/> of <paramref name="zone"/> (in rack order; GPU servers last).</summary>
    public static string Server(string zone, int index = 0) => Create().FindZone(zone)!.Servers[index].Id;

    internal static readonly string[] WorkflowServiceRegions = ["wfs", "wfr", "wft", "wfv"];

    private static RegionDocument Region(string id, params (string Id, int Small, int Gpu)[] zones) => new()
    {
        Id = id, Role = "production", OpsCentre = "lyon",
        Zones = [.. zones.Select(z => new ZoneDocument
        {
            Id = z.Id, Datacentre = $"dc-{z.Id}",
            Racks = [new() { Sku = "small", Racks = 1, ServersPerRack = z.Small }, .. z.Gpu > 0 ? [new RackGroupDocument { Sku = "gpu", Racks = 1, ServersPerRack = z.Gpu }] : Array.Empty<RackGroupDocument>()],
        })],
    };

    public static SizeCatalog Sizes() => new(
    [
        new InstanceSize("s4", "general-purpose", new ResourceAmount(4, 4096, 0), ""),
        new InstanceSize("s8", "general-purpose", new ResourceAmount(8, 8192, 0), ""),
        new InstanceSize("s16", "general-purpose", new ResourceAmount(16, 16384, 0), ""),
        new InstanceSize("g1", "gpu", new ResourceAmount(4, 8192, 1), "L4"),
        new InstanceSize("h1", "gpu", new ResourceAmount(4, 8192, 1), "H100"),
        new InstanceSize("c2", "general-purpose", new ResourceAmount(2, 2048, 0), ""),
        new InstanceSize("c3", "general-purpose", new ResourceAmount(3, 3072, 0), ""),
    ]);
}
