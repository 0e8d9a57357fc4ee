using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>The catalogue as a whole (key <see cref="Key"/>): lists the offers, each read from its own grain.</summary>
public interface ICatalogueGrain : IGrainWithStringKey
{
    const string Key = "catalogue";

    /// <summary>Offers of a kind (null: every kind) listed in a region ("": every region).</summary>
    Task<ImmutableArray<OfferInfo>> ListOffersAsync(OfferKind? kind, string region);
}
