using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Catalogue;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Catalogue;

/// <summary>Lists the catalogue's offers, each read from its offer grain; stateless, so every silo answers locally.</summary>
[StatelessWorker]
public sealed class CatalogueGrain(OfferCatalogue catalogue) : Grain, ICatalogueGrain
{
    public async Task<ImmutableArray<OfferInfo>> ListOffersAsync(OfferKind? kind, string region)
    {
        var offers = await Task.WhenAll(catalogue.All.Where(o => kind is null || o.Kind == kind)
            .Select(o => GrainFactory.GetGrain<IOfferGrain>(o.Id).GetAsync()));
        return [.. offers.Where(o => region.Length == 0 || o.StateIn(region) != OfferState.NotOffered)];
    }
}
