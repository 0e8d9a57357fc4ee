using System.Collections.Immutable;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Instances;
using ControlPlane.Grains.Topology;

namespace ControlPlane.Grains.Tests.Topology;

/// <summary>Checking and applying topology changes on snapshots, without a cluster.</summary>
public sealed class TopologyChangesTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-28T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static TopologyChange AddZone(long version, string region, string zone, params RackGroup[] racks) =>
        new(version, At, TopologyChangeKind.AddZone, "ops", "new datacentre", region, zone, "dc-new", [.. racks]);

    private static TopologyChange Change(long version, TopologyChangeKind kind, string region, string zone = "", RegionRole role = RegionRole.Production) =>
        new(version, At, kind, "ops", "test", region, zone, Role: role);

    private static ControlPlaneException Refused(TopologySnapshot snapshot, TopologyChange change, ErrorStatus code, string reason)
    {
        var e = Assert.Throws<ControlPlaneException>(() => TopologyChangeRules.Check(snapshot, change));
        Assert.Equal((code, reason), (e.Error.Code, e.Error.Reason));
        return e;
    }

    [Fact]
    public void Adding_a_zone_racks_its_servers_and_swaps_the_snapshot_leaving_the_old_one_whole()
    {
        var topology = TestTopology.Create();
        var before = topology.Current;

        var version = topology.CatchUp([AddZone(1, "prod", "prod-c", new RackGroup("small", 2, 3), new RackGroup("gpu", 1, 1))]);

        Assert.Equal(1, version);
        var zone = topology.FindZone("prod-c")!;
        Assert.Equal(7, zone.Servers.Count);
        Assert.Equal(["prod-c-r001-s01", "prod-c-r001-s02", "prod-c-r001-s03", "prod-c-r002-s01"], zone.Servers.Take(4).Select(s => s.Id));
        Assert.Equal(("gpu", "L4", "prod", "dc-new"), (zone.Servers[^1].Sku, zone.Servers[^1].GpuModel, zone.Servers[^1].Region, zone.Servers[^1].Datacentre));
        Assert.Equal(ZoneState.Active, zone.State);
        Assert.Contains("prod-c", topology.FindRegion("prod")!.Zones.Select(z => z.Id));
        Assert.Equal("prod", topology.RegionOf("prod-c-r002-s03")!.Id);
        Assert.Equal(before.ServerCount + 7, topology.ServerCount);
        // A reader holding the old snapshot still sees it whole.
        Assert.Null(before.FindZone("prod-c"));
        Assert.Equal(0, before.Version);
    }

    [Fact]
    public void Catching_up_skips_changes_already_applied_and_stops_at_a_gap()
    {
        var topology = TestTopology.Create();
        var first = AddZone(1, "prod", "prod-c", new RackGroup("small", 1, 1));

        Assert.Equal(1, topology.CatchUp([first]));
        Assert.Equal(1, topology.CatchUp([first]));
        Assert.Equal(1, topology.CatchUp([AddZone(3, "prod", "prod-e", new RackGroup("small", 1, 1))]));
        Assert.Null(topology.FindZone("prod-e"));
        Assert.Equal(2, topology.CatchUp([Change(2, TopologyChangeKind.SetRegionRole, "multi", role: RegionRole.DisasterRecovery)]));
        Assert.Equal(RegionRole.DisasterRecovery, topology.FindRegion("multi")!.Role);
    }

    [Fact]
    public void A_zone_id_in_use_is_refused_as_already_existing()
    {
        var snapshot = TestTopology.Create().Current;

        var e = Refused(snapshot, AddZone(1, "prod", "prod-a", new RackGroup("small", 1, 1)), ErrorStatus.AlreadyExists, ErrorReasons.ZoneExists);
        Assert.Equal("prod-a", e.Error.Metadata["zone"]);
        Refused(snapshot, AddZone(1, "prod", "multi", new RackGroup("small", 1, 1)), ErrorStatus.AlreadyExists, ErrorReasons.ZoneExists);
    }

    [Fact]
    public void A_bad_add_zone_names_every_bad_field()
    {
        var snapshot = TestTopology.Create().Current;

        var e = Refused(snapshot, new TopologyChange(1, At, TopologyChangeKind.AddZone, "ops", "", "prod", "Bad Zone", "",
            [new RackGroup("nope", 0, 100)]), ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);

        Assert.Equal(["zone", "datacentre", "racks[0].sku", "racks[0].racks", "racks[0].servers_per_rack"], e.Error.FieldViolations.Select(v => v.Field));
        Refused(snapshot, AddZone(1, "mars", "mars-a", new RackGroup("small", 1, 1)), ErrorStatus.InvalidArgument, ErrorReasons.UnknownRegion);
        Refused(snapshot, AddZone(1, "prod", "prod-z"), ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
        Refused(snapshot, AddZone(1, "prod", "prod-z", new RackGroup("small", 1000, 99)), ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
    }

    [Fact]
    public void Region_roles_change_but_never_to_the_same_role_nor_leaving_no_production_region()
    {
        var topology = TestTopology.Create();
        Refused(topology.Current, Change(1, TopologyChangeKind.SetRegionRole, "prod", role: RegionRole.Production),
            ErrorStatus.FailedPrecondition, ErrorReasons.RegionRoleUnchanged);
        Refused(topology.Current, Change(1, TopologyChangeKind.SetRegionRole, "mars", role: RegionRole.Production),
            ErrorStatus.InvalidArgument, ErrorReasons.UnknownRegion);

        var regions = topology.Regions.Where(r => r.Role == RegionRole.Production).Select(r => r.Id).ToList();
        for (var i = 0; i < regions.Count - 1; i++)
        {
            topology.CatchUp([Change(i + 1, TopologyChangeKind.SetRegionRole, regions[i], role: RegionRole.DisasterRecovery)]);
        }

        Refused(topology.Current, Change(regions.Count, TopologyChangeKind.SetRegionRole, regions[^1], role: RegionRole.DisasterRecovery),
            ErrorStatus.FailedPrecondition, ErrorReasons.LastProductionRegion);
    }

    [Fact]
    public void A_retiring_zone_stays_until_removed_then_its_id_is_never_reused()
    {
        var topology = TestTopology.Create();
        Refused(topology.Current, Change(1, TopologyChangeKind.RetireZone, "aff", "aff-a"), ErrorStatus.FailedPrecondition, ErrorReasons.LastZoneOfRegion);
        Refused(topology.Current, Change(1, TopologyChangeKind.RetireZone, "prod", "prod-x"), ErrorStatus.NotFound, ErrorReasons.ZoneNotFound);
        Refused(topology.Current, Change(1, TopologyChangeKind.RemoveZone, "prod", "prod-a"), ErrorStatus.FailedPrecondition, ErrorReasons.ZoneRetiring);

        topology.CatchUp([Change(1, TopologyChangeKind.RetireZone, "prod", "prod-a")]);
        Assert.Equal(ZoneState.Retiring, topology.FindZone("prod-a")!.State);
        Assert.NotNull(topology.FindServer("prod-a-r001-s01"));
        Refused(topology.Current, Change(2, TopologyChangeKind.RetireZone, "prod", "prod-b"), ErrorStatus.FailedPrecondition, ErrorReasons.LastZoneOfRegion);

        topology.CatchUp([Change(2, TopologyChangeKind.RemoveZone, "prod", "prod-a")]);
        Assert.Null(topology.FindZone("prod-a"));
        Assert.Null(topology.FindServer("prod-a-r001-s01"));
        Assert.Equal(["prod-b"], topology.FindRegion("prod")!.Zones.Select(z => z.Id));
        Assert.Equal(("prod-a", ZoneState.Retired), (topology.Current.RetiredZones.Single().Id, topology.Current.RetiredZones.Single().State));
        Refused(topology.Current, AddZone(3, "prod", "prod-a", new RackGroup("small", 1, 1)), ErrorStatus.AlreadyExists, ErrorReasons.ZoneExists);
    }

    [Fact]
    public void A_disaster_recovery_region_refuses_new_instances_and_a_retiring_zone_refuses_pinned_ones()
    {
        var topology = TestTopology.Create();
        var validator = new CreateInstanceValidator(topology, TestTopology.Sizes());
        topology.CatchUp([Change(1, TopologyChangeKind.SetRegionRole, "dr", role: RegionRole.DisasterRecovery), Change(2, TopologyChangeKind.RetireZone, "prod", "prod-a")]);

        var dr = Assert.Throws<ControlPlaneException>(() => validator.Validate(new CreateInstanceCommand("r1", "t", "vm", "s4", "dr", "")));
        Assert.Equal((ErrorStatus.FailedPrecondition, ErrorReasons.RegionNotProduction, "dr"), (dr.Error.Code, dr.Error.Reason, dr.Error.Metadata["region"]));
        var retiring = Assert.Throws<ControlPlaneException>(() => validator.Validate(new CreateInstanceCommand("r2", "t", "vm", "s4", "prod", "prod-a")));
        Assert.Equal((ErrorStatus.FailedPrecondition, ErrorReasons.ZoneRetiring), (retiring.Error.Code, retiring.Error.Reason));
        Assert.Equal("s4", validator.Validate(new CreateInstanceCommand("r3", "t", "vm", "s4", "prod", "")).Name);
        // Zone-redundant sets count only the zones that take placements.
        var zr = Assert.Throws<ControlPlaneException>(() => validator.Validate(new CreateZoneRedundantCommand("r4", "t", "db", "s4", "prod", 2)));
        Assert.Equal("count", zr.Error.FieldViolations.Single().Field);
    }

    [Fact]
    public void The_change_log_state_round_trips_through_json()
    {
        var state = new TopologyChangeLogState();
        state.Changes.Add(AddZone(1, "prod", "prod-c", new RackGroup("small", 2, 3)));
        state.Changes.Add(Change(2, TopologyChangeKind.SetRegionRole, "dr", role: RegionRole.DisasterRecovery));

        var back = System.Text.Json.JsonSerializer.Deserialize<TopologyChangeLogState>(System.Text.Json.JsonSerializer.Serialize(state))!;

        Assert.Equal(state.Changes.Select(c => (c.Version, c.At, c.Kind, c.Actor, c.Reason, c.Region, c.Zone, c.Datacentre, c.Role)),
            back.Changes.Select(c => (c.Version, c.At, c.Kind, c.Actor, c.Reason, c.Region, c.Zone, c.Datacentre, c.Role)));
        Assert.Equal(state.Changes[0].Racks, back.Changes[0].Racks.AsEnumerable());
        Assert.True(back.Changes[1].Racks.IsDefaultOrEmpty);
    }
}
