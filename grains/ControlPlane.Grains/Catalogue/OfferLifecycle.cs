using ControlPlane.Grains.Abstractions.Catalogue;

namespace ControlPlane.Grains.Catalogue;

/// <summary>
/// Which lifecycle changes an offer may make in a region: one step forward (a region where it is not
/// listed starts at announced), or straight to retired from any state (an offer withdrawn early).
/// Never backward, and never past qualification without it.
/// </summary>
public static class OfferLifecycle
{
    public static bool Allows(OfferState from, OfferState to) =>
        to != OfferState.NotOffered && from != OfferState.Retired && (to == from + 1 || to == OfferState.Retired);
}
