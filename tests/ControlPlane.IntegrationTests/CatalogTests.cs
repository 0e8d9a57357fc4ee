using ControlPlane.Cli;
using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>The catalogue seeded from deploy/catalogue/offers.json, over real gRPC and through cpctl.</summary>
[Collection(HostCollection.Name)]
public sealed class CatalogTests(HostFixture host)
{
    private Catalog.CatalogClient Catalog => new(host.Channel);

    [Fact]
    public async Task Every_size_is_an_offer_and_each_kind_is_listed_with_both_prices()
    {
        var all = (await Catalog.ListOffersAsync(new ListOffersRequest())).Offers;
        var sizes = (await host.Topology.ListSizesAsync(new ListSizesRequest())).Sizes;

        Assert.Equal(sizes.Select(s => s.Name).Order(), all.Where(o => o.Kind == OfferKind.InstanceSize).Select(o => o.Size).Order());
        Assert.All(Enum.GetValues<OfferKind>().Skip(1), kind => Assert.Contains(all, o => o.Kind == kind));
        var d2 = all.Single(o => o.Id == "Standard_D2s_v5");
        Assert.Equal(("0.096", "12", "0.10752", PriceUnit.Hour, "EUR"),
            (d2.Price.ListPrice, d2.Price.MarkupPercent, d2.Price.CataloguePrice, d2.Price.Unit, d2.Price.Currency));
        var partner = (await Catalog.ListOffersAsync(new ListOffersRequest { Kind = OfferKind.Marketplace, Region = "france-sud" })).Offers;
        Assert.All(partner, o => Assert.Equal(OfferKind.Marketplace, o.Kind));
        Assert.Contains(partner, o => o.Id == "mkt-etat-civil" && o.Source == "partner" && o.Regions.Single(r => r.Region == "france-sud").State == OfferState.Refactoring);
        Assert.DoesNotContain(partner, o => o.Id == "mkt-urbanisme");
    }

    [Fact]
    public async Task A_size_in_qualification_in_a_region_is_refused_there_with_its_state()
    {
        await host.CreateTenantAsync("cat-gpu", Api.Res(400, 4000, 8), "france-sud");

        var (info, _) = await Api.FailsAsync(() => host.CreateInstanceAsync("cat-gpu", "train", "Standard_NC40ads_H100_v5", "france-sud"),
            StatusCode.FailedPrecondition, "OFFER_NOT_AVAILABLE");

        Assert.Equal("Standard_NC40ads_H100_v5", info.Metadata["offer"]);
        Assert.Equal("france-sud", info.Metadata["region"]);
        Assert.Equal("qualification", info.Metadata["state"]);
        Assert.True(info.Metadata.ContainsKey("operation_id"));
    }

    [Fact]
    public async Task Lifecycle_changes_move_forward_only_and_are_recorded()
    {
        var offer = await Catalog.SetOfferStateAsync(new SetOfferStateRequest
        {
            Id = "paas-kubernetes", Region = "france-sud", State = OfferState.Refactoring, Actor = "qualif-team", Reason = "porting started",
        });
        var (info, _) = await Api.FailsAsync(() => Catalog.SetOfferStateAsync(new SetOfferStateRequest
        {
            Id = "office-e3", Region = "france-centre", State = OfferState.Qualification, Actor = "ops",
        }).ResponseAsync, StatusCode.FailedPrecondition, "OFFER_TRANSITION_INVALID");
        await Api.FailsAsync(() => Catalog.GetOfferAsync(new GetOfferRequest { Id = "no-such-offer" }).ResponseAsync, StatusCode.NotFound, "OFFER_NOT_FOUND");
        var (_, badRequest) = await Api.FailsAsync(() => Catalog.SetOfferStateAsync(new SetOfferStateRequest { Id = "office-e3", Region = "france-centre" }).ResponseAsync,
            StatusCode.InvalidArgument, "INVALID_ARGUMENT");

        Assert.Equal(OfferState.Refactoring, offer.Regions.Single(r => r.Region == "france-sud").State);
        var change = Assert.Single(offer.History);
        Assert.Equal((OfferState.Announced, OfferState.Refactoring, "qualif-team", "porting started"), (change.From, change.To, change.Actor, change.Reason));
        Assert.Equal("available", info.Metadata["state"]);
        Assert.Equal(["state", "actor"], badRequest!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Cpctl_lists_shows_and_changes_offers()
    {
        var list = await RunAsync("catalog", "list", "--kind", "ai-service", "--region", "france-centre");
        var set = await RunAsync("catalog", "set-state", "ai-speech-to-text", "--region", "france-centre", "--state", "refactoring", "--actor", "cli-test");
        var refused = await RunAsync("catalog", "set-state", "ai-speech-to-text", "--region", "france-centre", "--state", "announced");
        var get = await RunAsync("catalog", "get", "mkt-etat-civil");

        Assert.True(list.Exit == 0, list.Err);
        Assert.Contains("ai-llm-inference", list.Out);
        Assert.Contains("8.625", list.Out);
        Assert.DoesNotContain("Standard_D2s_v5", list.Out);
        Assert.True(set.Exit == 0, set.Err);
        Assert.Contains("announced → refactoring by cli-test", set.Out);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("OFFER_TRANSITION_INVALID", refused.Err);
        Assert.Contains("Logiciels Territoriaux SAS", get.Out);
        Assert.Contains("429", get.Out);
    }

    [Fact]
    public async Task Cpctl_invoice_previews_the_month_of_a_tenant_that_ran_an_instance()
    {
        await host.CreateTenantAsync("cat-invoice", Api.Res(16, 64), "france-centre");
        var created = await host.WaitAsync(await host.CreateInstanceAsync("cat-invoice", "web", "Standard_D2s_v5"));
        Assert.Equal(OperationState.Succeeded, created.State);
        await Task.Delay(1_100); // usage counts whole seconds
        var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var invoice = await RunAsync("invoice", "--tenant", "cat-invoice", "--month", month);
        var badMonth = await RunAsync("invoice", "--tenant", "cat-invoice", "--month", "11-2026");
        var unknown = await RunAsync("invoice", "--tenant", "cat-nobody", "--month", month);

        Assert.True(invoice.Exit == 0, invoice.Err);
        Assert.Contains("Standard_D2s_v5", invoice.Out);
        Assert.Contains("0.10752", invoice.Out); // the exact rate, not rounded
        Assert.Contains("TOTAL ", invoice.Out);
        Assert.Equal(1, badMonth.Exit);
        Assert.Contains("INVALID_ARGUMENT", badMonth.Err);
        Assert.Equal(3, unknown.Exit);
    }

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CpCtl.RunAsync(args, stdout, stderr, name => name == GlobalOptions.EndpointVariable ? host.Endpoint : null);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
