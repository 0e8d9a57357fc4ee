using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using Checks = ControlPlane.Grains.Abstractions.Errors.Validate;

namespace ControlPlane.Grains.Instances;

/// <summary>Checks a CreateInstance command against the topology and the size catalogue.</summary>
public sealed class CreateInstanceValidator(PlatformTopology topology, SizeCatalog sizes)
{
    /// <summary>Returns the size, or throws InvalidArgument naming every bad field (count: 2 to the region's zone count).</summary>
    public InstanceSize Validate(CreateZoneRedundantCommand command)
    {
        var size = Validate(new CreateInstanceCommand(command.RequestId, command.TenantId, command.Name, command.Size, command.Region, ""));
        var zones = topology.FindRegion(command.Region)!.ActiveZones.Count();
        if (command.Count < 2 || command.Count > zones)
        {
            throw DomainError.BadField(ErrorReasons.InvalidArgument, "count",
                $"count must be between 2 and the number of zones of region '{command.Region}' ({zones})").ToException();
        }
        return size;
    }

    /// <summary>Returns the size to provision, or throws InvalidArgument naming every bad field.</summary>
    public InstanceSize Validate(CreateInstanceCommand command)
    {
        var violations = new List<(string Reason, FieldViolation Violation)>();
        var size = sizes.Find(command.Size);
        if (size is null)
        {
            violations.Add((ErrorReasons.UnknownSize, new("size", Checks.UnknownSize(command.Size))));
        }
        var region = topology.FindRegion(command.Region);
        if (region is null)
        {
            violations.Add((ErrorReasons.UnknownRegion, new("region", Checks.UnknownRegion(command.Region))));
        }
        if (command.Zone.Length > 0)
        {
            var zone = topology.FindZone(command.Zone);
            if (zone is null)
            {
                violations.Add((ErrorReasons.UnknownZone, new("zone", Checks.UnknownZone(command.Zone))));
            }
            else if (region is not null && zone.Region != region.Id)
            {
                violations.Add((ErrorReasons.ZoneNotInRegion, new("zone", Checks.ZoneNotInRegion(command.Zone, zone.Region, region.Id))));
            }
        }
        if (violations.Count > 0)
        {
            throw DomainError.BadRequest(violations[0].Reason,
                string.Join("; ", violations.Select(v => v.Violation.Description)), violations.Select(v => v.Violation)).ToException();
        }
        // What already runs in a disaster-recovery region keeps running; nothing new is placed there.
        if (region!.Role != RegionRole.Production)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.RegionNotProduction,
                $"region '{region.Id}' is a disaster-recovery region and accepts no new instances; choose a production region",
                (ErrorMetadata.Region, region.Id), (ErrorMetadata.Role, TopologyChanges.RoleName(region.Role))).ToException();
        }
        if (command.Zone.Length > 0 && topology.FindZone(command.Zone) is { State: not ZoneState.Active } retiring)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ZoneRetiring,
                $"zone '{retiring.Id}' is retiring and accepts no new instances", (ErrorMetadata.Zone, retiring.Id)).ToException();
        }
        return size!;
    }
}
