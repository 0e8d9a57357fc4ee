using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Catalogue;

namespace ControlPlane.Grains.Services;

/// <summary>Checks an OrderService command against the catalogue and the topology.</summary>
public sealed class OrderServiceValidator(OfferCatalogue catalogue, PlatformTopology topology)
{
    /// <summary>Returns the offer to provision, or throws: NotFound for an unknown offer, InvalidArgument naming every bad field.</summary>
    public OfferInfo Validate(OrderServiceCommand command)
    {
        var offer = catalogue.Find(command.OfferId) ?? throw Failures.OfferNotFound(command.OfferId);
        var violations = new List<(string Reason, FieldViolation Violation)>();
        if (offer.Kind == OfferKind.InstanceSize)
        {
            violations.Add((ErrorReasons.InvalidArgument, new("offer_id",
                $"offer '{offer.Id}' sells an instance size: order it with Provisioning.CreateInstance (size '{offer.Size}')")));
        }
        var region = topology.FindRegion(command.Region);
        if (region is null)
        {
            violations.Add((ErrorReasons.UnknownRegion, new("region", $"region '{command.Region}' does not exist")));
        }
        if (offer.IsPerSeat && command.Seats is < 1 or > OrderServiceCommand.MaxSeats)
        {
            violations.Add((ErrorReasons.InvalidArgument, new("seats", $"offer '{offer.Id}' is priced per seat: seats must be 1 to {OrderServiceCommand.MaxSeats}")));
        }
        if (!offer.IsPerSeat && command.Seats != 0)
        {
            violations.Add((ErrorReasons.InvalidArgument, new("seats", $"offer '{offer.Id}' is not priced per seat: leave seats at 0")));
        }
        if (violations.Count > 0)
        {
            throw DomainError.BadRequest(violations[0].Reason,
                string.Join("; ", violations.Select(v => v.Violation.Description)), violations.Select(v => v.Violation)).ToException();
        }
        // As for instances: what runs in a disaster-recovery region keeps running; nothing new is ordered there.
        if (region!.Role != RegionRole.Production)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.RegionNotProduction,
                $"region '{region.Id}' is a disaster-recovery region and accepts no new services; choose a production region",
                (ErrorMetadata.Region, region.Id), (ErrorMetadata.Role, TopologyChanges.RoleName(region.Role))).ToException();
        }
        return offer;
    }
}
