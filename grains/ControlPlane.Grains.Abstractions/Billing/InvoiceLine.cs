using ControlPlane.Grains.Abstractions.Catalogue;

namespace ControlPlane.Grains.Abstractions.Billing;

/// <summary>One line of an invoice: an offer, how much of it (hours for hourly offers), its catalogue price and the amount, rounded once.</summary>
[GenerateSerializer, Immutable, Alias("cp.InvoiceLine")]
public sealed record InvoiceLine(
    [property: Id(0)] string OfferId,
    [property: Id(1)] string Description,
    [property: Id(2)] PriceUnit Unit,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] decimal UnitPrice,
    [property: Id(5)] decimal Amount);
