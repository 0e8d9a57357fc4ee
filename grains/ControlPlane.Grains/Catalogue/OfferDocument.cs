using System.Collections.Immutable;
using System.Text.Json;
using ControlPlane.Domain.Pricing;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Catalogue;

namespace ControlPlane.Grains.Catalogue;

/// <summary>The JSON shape of deploy/catalogue/offers.json: a pricing section and the offers.</summary>
public sealed class OfferDocument
{
    public PricingDocument Pricing { get; set; } = new();
    public List<OfferEntry> Offers { get; set; } = [];

    public static IEnumerable<OfferInfo> Read(string json)
    {
        var doc = JsonSerializer.Deserialize<OfferDocument>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException("empty file");
        return doc.Offers.Select(o =>
        {
            var kind = OfferNames.ParseKind(o.Kind) ?? throw new InvalidOperationException($"offer '{o.Id}': unknown kind '{o.Kind}'");
            var unit = OfferNames.ParseUnit(o.Unit) ?? throw new InvalidOperationException($"offer '{o.Id}': unknown unit '{o.Unit}'");
            var markup = Markup.For(o.MarkupPercent, o.Family, o.Kind, doc.Pricing.FamilyMarkupPercent, doc.Pricing.MarkupPercent)
                ?? throw new InvalidOperationException($"offer '{o.Id}': no markup, and none for family '{o.Family}' or kind '{o.Kind}' in the pricing section");
            var regions = o.Regions.ToImmutableDictionary(r => r.Key, r => OfferNames.ParseState(r.Value)
                ?? throw new InvalidOperationException($"offer '{o.Id}': unknown state '{r.Value}' in region '{r.Key}'"));
            return new OfferInfo(o.Id, kind, o.DisplayName, o.Family, new OfferPrice(o.ListPrice, unit, markup), regions, [])
            {
                Size = kind == OfferKind.InstanceSize ? (o.Size ?? o.Id) : "",
                Publisher = o.Publisher ?? "",
                Source = o.Source ?? "",
                Footprint = [.. o.Footprint.Select(f => new ServiceFootprint(f.Size, f.Count))],
            };
        }).ToList();
    }

    public sealed class PricingDocument
    {
        /// <summary>Default markup in percent per offer kind ("instance-size": 12, …).</summary>
        public Dictionary<string, decimal> MarkupPercent { get; set; } = [];

        /// <summary>Markup in percent per offer family ("local-government": 10, …), before the kind's default.</summary>
        public Dictionary<string, decimal> FamilyMarkupPercent { get; set; } = [];
    }

    public sealed class OfferEntry
    {
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Family { get; set; } = "";
        public string? Size { get; set; }
        public string? Publisher { get; set; }
        public string? Source { get; set; }
        public decimal ListPrice { get; set; }
        public string Unit { get; set; } = "";
        public decimal? MarkupPercent { get; set; }
        public Dictionary<string, string> Regions { get; set; } = [];

        /// <summary>Service offers: the instances one ordered service runs on.</summary>
        public List<FootprintEntry> Footprint { get; set; } = [];
    }

    public sealed class FootprintEntry
    {
        public string Size { get; set; } = "";
        public int Count { get; set; }
    }
}
