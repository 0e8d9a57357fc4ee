using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Grains.Topology;

/// <summary>
/// Validates a topology change against a snapshot: the change log grain checks a change before
/// recording it; <see cref="TopologyChanges.Apply"/> then computes the next snapshot on every silo.
/// </summary>
public static class TopologyChangeRules
{
    /// <summary>Throws the domain error that forbids the change, or returns.</summary>
    public static void Check(TopologySnapshot topology, TopologyChange change)
    {
        switch (change.Kind)
        {
            case TopologyChangeKind.AddZone: CheckAddZone(topology, change); break;
            case TopologyChangeKind.SetRegionRole: CheckSetRegionRole(topology, change); break;
            case TopologyChangeKind.RetireZone: CheckRetireZone(topology, change); break;
            case TopologyChangeKind.RemoveZone:
                if (ZoneOf(topology, change.Zone).State != ZoneState.Retiring)
                {
                    throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ZoneRetiring,
                        $"zone '{change.Zone}' is not retiring; retire it first", (ErrorMetadata.Zone, change.Zone)).ToException();
                }
                break;
            default:
                throw DomainError.BadField(ErrorReasons.InvalidArgument, "kind", $"unknown topology change kind {change.Kind}").ToException();
        }
    }

    private static void CheckAddZone(TopologySnapshot topology, TopologyChange change)
    {
        var problems = new List<(string Reason, FieldViolation Violation)>();
        void Bad(string field, string description, string reason = ErrorReasons.InvalidArgument) => problems.Add((reason, new(field, description)));

        if (Validate.Name("region", change.Region) is { } regionProblem) Bad("region", regionProblem);
        else if (topology.FindRegion(change.Region) is null) Bad("region", $"region '{change.Region}' does not exist", ErrorReasons.UnknownRegion);
        if (Validate.Name("zone", change.Zone) is { } zoneProblem) Bad("zone", zoneProblem);
        if (Validate.Name("datacentre", change.Datacentre) is { } dcProblem) Bad("datacentre", dcProblem);
        var racks = change.Racks.IsDefault ? [] : change.Racks;
        if (racks.Length == 0) Bad("racks", "racks must list at least one group of racks (sku, racks, servers per rack)");
        long servers = 0;
        for (var i = 0; i < racks.Length; i++)
        {
            var group = racks[i];
            if (!topology.Skus.ContainsKey(group.Sku))
                Bad($"racks[{i}].sku", $"SKU '{group.Sku}' does not exist; known: {string.Join(", ", topology.Skus.Keys.Order(StringComparer.Ordinal))}", ErrorReasons.UnknownSku);
            if (group.Racks is <= 0 or > 1000) Bad($"racks[{i}].racks", "racks must be between 1 and 1000");
            if (group.ServersPerRack is <= 0 or > 99) Bad($"racks[{i}].servers_per_rack", "servers per rack must be between 1 and 99");
            servers += (long)Math.Max(0, group.Racks) * Math.Max(0, group.ServersPerRack);
        }
        if (servers > TopologyChanges.MaxServersPerZone) Bad("racks", $"a zone holds at most {TopologyChanges.MaxServersPerZone} servers; these racks hold {servers}");
        if (problems.Count > 0)
        {
            throw DomainError.BadRequest(problems[0].Reason, string.Join("; ", problems.Select(p => p.Violation.Description)),
                problems.Select(p => p.Violation)).ToException();
        }
        if (topology.IsUsed(change.Zone))
        {
            var what = topology.FindZone(change.Zone) is not null ? "a zone" : topology.FindRegion(change.Zone) is not null ? "a region" : "a retired zone";
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.ZoneExists,
                $"'{change.Zone}' is already the id of {what}; ids are never reused", (ErrorMetadata.Zone, change.Zone)).ToException();
        }
    }

    private static void CheckSetRegionRole(TopologySnapshot topology, TopologyChange change)
    {
        var region = topology.FindRegion(change.Region)
            ?? throw DomainError.BadField(ErrorReasons.UnknownRegion, "region", $"region '{change.Region}' does not exist").ToException();
        if (change.Role is not (RegionRole.Production or RegionRole.DisasterRecovery))
            throw DomainError.BadField(ErrorReasons.InvalidArgument, "role", "role must be production or disaster-recovery").ToException();
        if (region.Role == change.Role)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.RegionRoleUnchanged,
                $"region '{region.Id}' already has role {TopologyChanges.RoleName(change.Role)}", (ErrorMetadata.Region, region.Id), (ErrorMetadata.Role, TopologyChanges.RoleName(change.Role))).ToException();
        }
        if (change.Role == RegionRole.DisasterRecovery && !topology.Regions.Any(r => r.Id != region.Id && r.Role == RegionRole.Production))
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.LastProductionRegion,
                $"region '{region.Id}' is the last production region; the platform would accept no new instance", (ErrorMetadata.Region, region.Id)).ToException();
        }
    }

    private static void CheckRetireZone(TopologySnapshot topology, TopologyChange change)
    {
        var zone = ZoneOf(topology, change.Zone);
        if (zone.State != ZoneState.Active)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ZoneRetiring,
                $"zone '{zone.Id}' is already retiring", (ErrorMetadata.Zone, zone.Id)).ToException();
        }
        if (!topology.FindRegion(zone.Region)!.ActiveZones.Any(z => z.Id != zone.Id))
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.LastZoneOfRegion,
                $"zone '{zone.Id}' is the last active zone of region '{zone.Region}'; its instances would have nowhere to go",
                (ErrorMetadata.Zone, zone.Id), (ErrorMetadata.Region, zone.Region)).ToException();
        }
    }

    private static ZoneSpec ZoneOf(TopologySnapshot topology, string zone) => topology.FindZone(zone) ?? throw Failures.ZoneNotFound(zone);
}
