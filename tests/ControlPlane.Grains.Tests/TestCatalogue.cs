using System.Collections.Immutable;
using ControlPlane.Domain.Tests;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Catalogue;

namespace ControlPlane.Grains.Tests;

public static class TestCatalogue
{
    /// <summary>
    /// Every test size is available in every test region, except "c2" (only in "prod"; in
    /// qualification in "dr") and "c3", left to the catalogue tests to move along.
    /// Plus one offer of each other kind: available in "prod", "svc" and the workflow tests' service regions, refactoring in "dr".
    /// </summary>
    public static OfferCatalogue Offers()
    {
        string[] regions = ["prod", "multi", "aff", "zr", "cat", "svc", "drp", "drs", "dr", "live", "sec", "de", "ch", .. TestTopology.Workflows.Select(r => r.Id)];
        var everywhere = regions.ToImmutableDictionary(r => r, _ => OfferState.Available);
        var price = new OfferPrice(0.1m, PriceUnit.Hour, 12m);
        var sizes = TestTopology.Sizes();
        var offers = sizes.All.Select(s => new OfferInfo(s.Name, OfferKind.InstanceSize, s.Name, s.Family, price, s.Name switch
        {
            "c2" => ImmutableDictionary<string, OfferState>.Empty.Add("prod", OfferState.Available).Add("dr", OfferState.Qualification),
            _ => everywhere,
        }, []) { Size = s.Name }).ToList();
        var prodOnly = ImmutableDictionary<string, OfferState>.Empty.Add("prod", OfferState.Available).Add("dr", OfferState.Refactoring)
            .Add("svc", OfferState.Available).AddRange(TestTopology.WorkflowServiceRegions.Select(r => KeyValuePair.Create(r, OfferState.Available)));
        offers.Add(new OfferInfo("pg", OfferKind.Paas, "PostgreSQL", "database", price, prodOnly, []) { Footprint = [new("s8", 2)] });
        offers.Add(new OfferInfo("suite", OfferKind.OfficeSuite, "Office", "office", new OfferPrice(30m, PriceUnit.SeatMonth, 10m), prodOnly, []));
        offers.Add(new OfferInfo("civil", OfferKind.Marketplace, "Civil registry", "local-government", new OfferPrice(390m, PriceUnit.Month, 10m), prodOnly, [])
        {
            Publisher = "Logiciels Territoriaux", Source = "partner", Footprint = [new("s4", 1)],
        });
        offers.Add(new OfferInfo("llm", OfferKind.AiService, "LLM", "ai", new OfferPrice(7.5m, PriceUnit.Hour, 15m), prodOnly, []) { Footprint = [new("g1", 1)] });
        offers.Add(new OfferInfo("wide", OfferKind.Paas, "Needs five servers", "test", price, prodOnly, []) { Footprint = [new("s16", 5)] });
        return new OfferCatalogue(offers, sizes);
    }
}
