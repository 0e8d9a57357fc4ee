using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>
/// An offer of the catalogue: what it sells, its price, its state in each region (a region it is
/// not listed in is <see cref="OfferState.NotOffered"/>) and the history of its lifecycle changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.OfferInfo")]
public sealed record OfferInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] OfferKind Kind,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] string Family,
    [property: Id(4)] OfferPrice Price,
    [property: Id(5)] ImmutableDictionary<string, OfferState> Regions,
    [property: Id(6)] ImmutableArray<OfferTransition> History)
{
    /// <summary>For an instance-size offer, the size it sells.</summary>
    [Id(7)] public string Size { get; init; } = "";

    /// <summary>For a marketplace application: who publishes it.</summary>
    [Id(8)] public string Publisher { get; init; } = "";

    /// <summary>For a marketplace application: "vendor-marketplace" or "partner".</summary>
    [Id(9)] public string Source { get; init; } = "";

    /// <summary>For a service offer: the instances each ordered service runs on (none for a shared SaaS such as the office suite).</summary>
    [Id(10)] public ImmutableArray<ServiceFootprint> Footprint { get; init; } = [];

    /// <summary>Whether the offer is priced per seat, so an order names its seats.</summary>
    public bool IsPerSeat => Price.Unit == PriceUnit.SeatMonth;

    public OfferState StateIn(string region) => Regions.GetValueOrDefault(region, OfferState.NotOffered);
}
