using ControlPlane.Gateway.Mapping;
using ControlPlane.Gateway.Security;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>The catalogue: lists read through the catalogue grain, each offer's lifecycle owned by its offer grain.</summary>
public sealed class CatalogService(IGrainFactory grains) : V1.Catalog.CatalogBase
{
    public override async Task<V1.ListOffersResponse> ListOffers(V1.ListOffersRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("kind", Enum.IsDefined(request.Kind) ? null : "kind is not a known offer kind"),
            ("region", request.Region.Length == 0 ? null : Validate.Id("region", request.Region)));
        OfferKind? kind = request.Kind == V1.OfferKind.Unspecified ? null : (OfferKind)(int)request.Kind;
        var response = new V1.ListOffersResponse();
        response.Offers.AddRange((await grains.GetGrain<ICatalogueGrain>(ICatalogueGrain.Key).ListOffersAsync(kind, request.Region)).Select(o => o.ToProto()));
        return response;
    }

    public override async Task<V1.Offer> GetOffer(V1.GetOfferRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", request.Id)));
        return (await grains.GetGrain<IOfferGrain>(request.Id).GetAsync()).ToProto();
    }

    public override async Task<V1.Offer> SetOfferState(V1.SetOfferStateRequest request, ServerCallContext context)
    {
        var (actor, actorProblem) = Actors.Of(context, request.Actor);
        Validate.ThrowIfAny(
            ("id", Validate.Id("id", request.Id)),
            ("region", Validate.Id("region", request.Region)),
            ("state", request.State != V1.OfferState.Unspecified && Enum.IsDefined(request.State) ? null : "state is required: announced, refactoring, qualification, available, deprecated or retired"),
            ("actor", actorProblem),
            ("reason", request.Reason.Length > 200 ? "reason must be at most 200 characters" : null));
        var grain = grains.GetGrain<IOfferGrain>(request.Id);
        var (region, to) = (request.Region, (OfferState)(int)request.State);
        var offer = await (request.ValidateOnly ? grain.CheckSetStateAsync(region, to, actor, request.Reason) : grain.SetStateAsync(region, to, actor, request.Reason));
        return offer.ToProto();
    }
}
