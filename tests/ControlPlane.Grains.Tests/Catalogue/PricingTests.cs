using ControlPlane.Domain.Pricing;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Catalogue;

namespace ControlPlane.Grains.Tests.Catalogue;

/// <summary>Catalogue prices and invoice-line rounding, against answers worked out by hand.</summary>
public sealed class PricingTests
{
    private static readonly OfferCatalogue Deployed = OfferCatalogue.Load(Path.Combine(AppContext.BaseDirectory, "catalogue/offers.json"),
        SizeCatalog.Load(Path.Combine(AppContext.BaseDirectory, "catalogue/sizes.json")));

    [Theory]
    // id, list price, markup %, catalogue price = list × (1 + markup / 100), exact
    [InlineData("Standard_D2s_v5", "0.096", "12", "0.10752")]           // 0.096 × 1.12
    [InlineData("Standard_ND96isr_H100_v5", "98.32", "12", "110.1184")] // 98.32 × 1.12
    [InlineData("office-e3", "33.75", "10", "37.125")]                  // 33.75 × 1.10
    [InlineData("mkt-gitlab-premium", "27.60", "15", "31.74")]          // marketplace default 15 %
    [InlineData("mkt-etat-civil", "390", "10", "429")]                  // local-government family: 10 % instead of the marketplace's 15 %
    [InlineData("ai-llm-inference", "7.5", "15", "8.625")]              // 7.5 × 1.15
    [InlineData("paas-postgresql-gp-2", "0.178", "12", "0.19936")]      // 0.178 × 1.12
    public void Catalogue_price_is_list_price_plus_markup_kept_exact(string id, string list, string markup, string catalogue)
    {
        var price = Deployed.Find(id)!.Price;

        Assert.Equal(decimal.Parse(list, System.Globalization.CultureInfo.InvariantCulture), price.ListPrice);
        Assert.Equal(decimal.Parse(markup, System.Globalization.CultureInfo.InvariantCulture), price.MarkupPercent);
        Assert.Equal(decimal.Parse(catalogue, System.Globalization.CultureInfo.InvariantCulture), price.CataloguePrice);
    }

    [Theory]
    // quantity, unit price, amount: quantity × unit price rounded once to the cent, half away from zero
    [InlineData("730", "0.10752", "78.49")]      // a month of D2s_v5: 78.4896
    [InlineData("1", "37.125", "37.13")]         // one E3 seat: exactly half a cent, away from zero (banker's rounding would give 37.12)
    [InlineData("3", "37.125", "111.38")]        // 111.375
    [InlineData("0.5", "110.1184", "55.06")]     // half an hour of ND96isr: 55.0592
    [InlineData("10", "8.625", "86.25")]         // ten hours of LLM inference, exact
    [InlineData("-1", "0.125", "-0.13")]         // a credit rounds away from zero too
    [InlineData("744", "0.19936", "148.32")]     // 31 days of PostgreSQL: 148.32384
    public void An_invoice_line_is_rounded_once_to_the_cent_half_away_from_zero(string quantity, string unitPrice, string amount)
    {
        var q = decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture);
        var p = decimal.Parse(unitPrice, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Money.LineAmount(q, p));
    }

    [Fact]
    public void Rounding_per_line_not_per_unit()
    {
        // 730 h × 0.10752: rounding the unit price first (0.11) would bill 80.30 instead of 78.49.
        Assert.Equal(78.49m, Money.LineAmount(730m, 0.10752m));
        Assert.NotEqual(Money.LineAmount(730m, Math.Round(0.10752m, 2)), Money.LineAmount(730m, 0.10752m));
    }

    [Fact]
    public void The_default_markup_of_each_kind_is_between_10_and_15_percent()
    {
        Assert.All(Deployed.All, o => Assert.InRange(o.Price.MarkupPercent, 10m, 15m));
        Assert.All(Deployed.All, o => Assert.True(o.Price.ListPrice > 0, o.Id));
    }

    [Fact]
    public void An_offers_own_markup_comes_before_its_familys_which_comes_before_its_kinds()
    {
        const string json = """
            {
              "pricing": { "markupPercent": { "marketplace": 15 }, "familyMarkupPercent": { "local-government": 10 } },
              "offers": [
                { "id": "a", "kind": "marketplace", "family": "devops", "listPrice": 100, "unit": "month" },
                { "id": "b", "kind": "marketplace", "family": "local-government", "listPrice": 100, "unit": "month" },
                { "id": "c", "kind": "marketplace", "family": "local-government", "listPrice": 100, "unit": "month", "markupPercent": 12.5 }
              ]
            }
            """;

        var offers = OfferDocument.Read(json).ToDictionary(o => o.Id);

        Assert.Equal((15m, 115m), (offers["a"].Price.MarkupPercent, offers["a"].Price.CataloguePrice));
        Assert.Equal((10m, 110m), (offers["b"].Price.MarkupPercent, offers["b"].Price.CataloguePrice));
        Assert.Equal((12.5m, 112.5m), (offers["c"].Price.MarkupPercent, offers["c"].Price.CataloguePrice));
    }
}
