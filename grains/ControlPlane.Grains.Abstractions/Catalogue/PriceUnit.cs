namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>What one unit of an offer's price buys.</summary>
public enum PriceUnit
{
    Hour = 1,
    Month = 2,
    SeatMonth = 3,
}
