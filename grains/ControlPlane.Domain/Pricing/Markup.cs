namespace ControlPlane.Domain.Pricing;

/// <summary>Which markup an offer carries over the vendor's list price.</summary>
public static class Markup
{
    /// <summary>The offer's own markup, else its family's, else its kind's; null when none of them is set.</summary>
    public static decimal? For(decimal? offerPercent, string family, string kind,
        IReadOnlyDictionary<string, decimal> familyPercent, IReadOnlyDictionary<string, decimal> kindPercent) =>
        offerPercent
        ?? (familyPercent.TryGetValue(family, out var f) ? f
        : kindPercent.TryGetValue(kind, out var k) ? k
        : null);
}
