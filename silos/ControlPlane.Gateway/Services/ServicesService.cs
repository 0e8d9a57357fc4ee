using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>Orders, cancellations and seats of services from the catalogue.</summary>
public sealed class ServicesService(IGrainFactory grains) : V1.Services.ServicesBase
{
    public override async Task<V1.Operation> OrderService(V1.OrderServiceRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            ("request_id", Validate.RequestId("request_id", request.RequestId)),
            Validate.TenantId(request.TenantId),
            ("name", Validate.Name("name", request.Name) ?? (request.Name.Length > 60 ? "name must be at most 60 characters" : null)),
            ("offer_id", string.IsNullOrEmpty(request.OfferId) ? "offer_id is required; see Catalog.ListOffers" : null),
            ("region", string.IsNullOrEmpty(request.Region) ? "region is required" : null),
            ("seats", request.Seats < 0 ? "seats cannot be negative" : null));
        var command = new OrderServiceCommand(request.RequestId, request.TenantId, request.Name, request.OfferId, request.Region, request.Seats);
        var operation = grains.TenantOperation(request.TenantId, request.RequestId);
        return request.ValidateOnly ? (await operation.CheckOrderServiceAsync(command)).ToProto() : (await operation.StartOrderServiceAsync(command)).ToProto();
    }

    public override async Task<V1.Operation> CancelService(V1.CancelServiceRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            ("request_id", Validate.RequestId("request_id", request.RequestId)),
            ("service_id", Validate.Id("service_id", request.ServiceId)));
        var command = new CancelServiceCommand(request.RequestId, request.ServiceId);
        var operation = grains.ServiceOperation(request.ServiceId, request.RequestId);
        return request.ValidateOnly ? (await operation.CheckCancelServiceAsync(command)).ToProto() : (await operation.StartCancelServiceAsync(command)).ToProto();
    }

    public override async Task<V1.Service> GetService(V1.GetServiceRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", request.Id)));
        return Found(await grains.GetGrain<IServiceGrain>(request.Id).GetAsync(), request.Id).ToProto();
    }

    public override async Task<V1.ListServicesResponse> ListServices(V1.ListServicesRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId),
            ("page_size", Validate.PageSize("page_size", request.PageSize)));
        var page = await grains.GetGrain<ITenantGrain>(request.TenantId).ListServiceIdsAsync(request.PageSize, request.PageToken);
        var services = await Task.WhenAll(page.Items.Select(id => grains.GetGrain<IServiceGrain>(id).GetAsync()));
        var response = new V1.ListServicesResponse { NextPageToken = page.NextPageToken };
        // A service admitted a moment ago may not have its record yet: it shows on the next listing.
        response.Services.AddRange(services.OfType<ServiceInfo>().Select(s => s.ToProto()));
        return response;
    }

    public override async Task<V1.Service> SetServiceSeats(V1.SetServiceSeatsRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            ("service_id", Validate.Id("service_id", request.ServiceId)),
            ("seats", request.Seats is < 1 or > OrderServiceCommand.MaxSeats ? $"seats must be 1 to {OrderServiceCommand.MaxSeats}" : null));
        var service = grains.GetGrain<IServiceGrain>(request.ServiceId);
        Found(await service.GetAsync(), request.ServiceId);
        return (await (request.ValidateOnly ? service.CheckSetSeatsAsync(request.Seats) : service.SetSeatsAsync(request.Seats))).ToProto();
    }

    private static ServiceInfo Found(ServiceInfo? service, string id) => service ?? throw Failures.ServiceNotFound(id);
}
