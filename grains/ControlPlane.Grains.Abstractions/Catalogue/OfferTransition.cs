namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>One lifecycle change of an offer in a region, as recorded in the offer's append-only history.</summary>
[GenerateSerializer, Immutable, Alias("cp.OfferTransition")]
public sealed record OfferTransition(
    [property: Id(0)] string Region,
    [property: Id(1)] OfferState From,
    [property: Id(2)] OfferState To,
    [property: Id(3)] string Actor,
    [property: Id(4)] string Reason,
    [property: Id(5)] DateTimeOffset At);
