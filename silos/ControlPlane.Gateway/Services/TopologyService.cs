using ControlPlane.Errors;
using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

public sealed class TopologyService(IGrainFactory grains) : V1.Topology.TopologyBase
{
    private ITopologyGrain Topology => grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key);

    public override async Task<V1.ListRegionsResponse> ListRegions(V1.ListRegionsRequest request, ServerCallContext context)
    {
        var response = new V1.ListRegionsResponse();
        response.Regions.AddRange((await Topology.ListRegionsAsync()).Select(r => r.ToProto()));
        return response;
    }

    public override async Task<V1.ListZonesResponse> ListZones(V1.ListZonesRequest request, ServerCallContext context)
    {
        var response = new V1.ListZonesResponse();
        response.Zones.AddRange((await Topology.ListZonesAsync(request.Region)).Select(z => z.ToProto()));
        return response;
    }

    public override async Task<V1.ListServersResponse> ListServers(V1.ListServersRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("zone", Validate.Id("zone", request.Zone)), ("page_size", Validate.PageSize("page_size", request.PageSize)));
        var page = await Topology.ListServersAsync(request.Zone, request.PageSize, request.PageToken);
        var response = new V1.ListServersResponse { NextPageToken = page.NextPageToken, TotalSize = page.TotalSize };
        response.Servers.AddRange(page.Items.Select(s => s.ToProto()));
        return response;
    }

    public override async Task<V1.Server> GetServer(V1.GetServerRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", request.Id)));
        return (await grains.GetGrain<IServerGrain>(request.Id).GetAsync()).ToProto();
    }

    public override async Task<V1.ListSizesResponse> ListSizes(V1.ListSizesRequest request, ServerCallContext context)
    {
        var response = new V1.ListSizesResponse();
        response.Sizes.AddRange((await Topology.ListSizesAsync()).Select(s => s.ToProto()));
        return response;
    }
}
