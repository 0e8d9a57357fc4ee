namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>
/// The vendor's list price of an offer (EUR, exact decimal) per <see cref="Unit"/>, and the markup
/// in percent the platform adds; <see cref="CataloguePrice"/> is list × (1 + markup / 100), unrounded.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.OfferPrice")]
public sealed record OfferPrice(
    [property: Id(0)] decimal ListPrice,
    [property: Id(1)] PriceUnit Unit,
    [property: Id(2)] decimal MarkupPercent)
{
    public decimal CataloguePrice => ListPrice * (1m + MarkupPercent / 100m);
}
