using ControlPlane.Domain.Pricing;

namespace ControlPlane.Domain.Tests.Pricing;

public sealed class MarkupTests
{
    private static readonly Dictionary<string, decimal> Families = new() { ["local-government"] = 10m };
    private static readonly Dictionary<string, decimal> Kinds = new() { ["instance-size"] = 12m, ["paas"] = 15m };

    [Theory]
    [InlineData(11.0, "general-purpose", "instance-size", 11.0)]
    [InlineData(null, "local-government", "paas", 10.0)]
    [InlineData(null, "general-purpose", "instance-size", 12.0)]
    [InlineData(null, "database", "paas", 15.0)]
    public void The_offers_own_markup_then_its_familys_then_its_kinds(double? own, string family, string kind, double expected) =>
        Assert.Equal((decimal)expected, Markup.For((decimal?)own, family, kind, Families, Kinds));

    [Fact]
    public void No_markup_anywhere_is_none() =>
        Assert.Null(Markup.For(null, "gpu", "ai-service", Families, Kinds));

    [Theory]
    [InlineData(1, 0.125, 0.13)]
    [InlineData(-1, 0.125, -0.13)]
    [InlineData(3, 0.0616, 0.18)]
    public void An_invoice_line_is_rounded_once_to_the_cent_half_away_from_zero(double quantity, double unitPrice, double amount) =>
        Assert.Equal((decimal)amount, Money.LineAmount((decimal)quantity, (decimal)unitPrice));
}
