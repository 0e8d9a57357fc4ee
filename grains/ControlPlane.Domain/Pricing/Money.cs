namespace ControlPlane.Domain.Pricing;

/// <summary>
/// Money is an exact decimal number of euros. Prices are never rounded; an invoice line is rounded
/// once: amount = quantity × unit price, to the cent, half away from zero (0.125 → 0.13, −0.125 → −0.13).
/// </summary>
public static class Money
{
    public const string Currency = "EUR";

    public static decimal LineAmount(decimal quantity, decimal unitPrice) =>
        Math.Round(quantity * unitPrice, 2, MidpointRounding.AwayFromZero);
}
