using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>
/// One offer of the catalogue (key: the offer id), seeded from the catalogue file on first
/// activation. Orders are admitted here, one call at a time with lifecycle changes, so an order
/// is either admitted before a deprecation or refused after it — never admitted after.
/// </summary>
public interface IOfferGrain : IGrainWithStringKey
{
    /// <summary>The offer, or NotFound (OFFER_NOT_FOUND).</summary>
    Task<OfferInfo> GetAsync();

    /// <summary>
    /// Moves the offer forward in a region (FailedPrecondition OFFER_TRANSITION_INVALID for any
    /// other move; setting the state it already has changes nothing) and records it in the history.
    /// </summary>
    Task<OfferInfo> SetStateAsync(string region, OfferState to, string actor, string reason);

    /// <summary>The checks of <see cref="SetStateAsync"/>, recording nothing (a dry run): the offer as it would be, its history included.</summary>
    [ReadOnly]
    Task<OfferInfo> CheckSetStateAsync(string region, OfferState to, string actor, string reason);

    /// <summary>Admits an order in a region, or throws FailedPrecondition OFFER_NOT_AVAILABLE naming the offer's state there.</summary>
    Task AdmitOrderAsync(string region);
}
