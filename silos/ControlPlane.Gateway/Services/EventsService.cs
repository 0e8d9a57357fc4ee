using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Events;
using ControlPlane.Grains.Abstractions.Paging;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>The platform's event log, read from its grain.</summary>
public sealed class EventsService(IGrainFactory grains) : V1.Events.EventsBase
{
    public override async Task<V1.ListEventsResponse> ListEvents(V1.ListEventsRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            ("page_size", Validate.PageSize("page_size", request.PageSize)),
            ("kind", request.Kind is V1.EventKind.Unspecified or V1.EventKind.OpsCentreTakeover or V1.EventKind.OpsCentreReturn ? null
                : $"kind {(int)request.Kind} is not an event kind"));
        var query = new EventQuery(request.Kind.ToModel(), ProtoTime.Read("since", request.Since), request.OldestFirst, request.PageSize, request.PageToken);
        var page = await grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key).ListAsync(query);
        var response = new V1.ListEventsResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.Events.AddRange(page.Items.Select(e => e.ToProto()));
        return response;
    }
}
