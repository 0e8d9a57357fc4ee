namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>
/// Where an offer is in a region, in the only order it may go:
/// announced → refactoring → qualification → available → deprecated → retired.
/// Only <see cref="Available"/> accepts orders; deprecated offers keep running but accept none.
/// </summary>
public enum OfferState
{
    /// <summary>Not offered in the region at all.</summary>
    NotOffered = 0,
    Announced = 1,
    Refactoring = 2,
    Qualification = 3,
    Available = 4,
    Deprecated = 5,
    Retired = 6,
}
