using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Catalogue;

namespace ControlPlane.Grains.Catalogue;

/// <summary>The names of kinds, units and states in the catalogue file ("instance-size", "seat-month", "available").</summary>
public static class OfferNames
{
    public static OfferKind? ParseKind(string name) => name switch
    {
        "instance-size" => OfferKind.InstanceSize,
        "paas" => OfferKind.Paas,
        "office-suite" => OfferKind.OfficeSuite,
        "marketplace" => OfferKind.Marketplace,
        "ai-service" => OfferKind.AiService,
        _ => null,
    };

    public static PriceUnit? ParseUnit(string name) => name switch
    {
        "hour" => PriceUnit.Hour,
        "month" => PriceUnit.Month,
        "seat-month" => PriceUnit.SeatMonth,
        _ => null,
    };

    public static OfferState? ParseState(string name) =>
        Enum.TryParse<OfferState>(name, ignoreCase: true, out var state) && state != OfferState.NotOffered ? state : null;
}
