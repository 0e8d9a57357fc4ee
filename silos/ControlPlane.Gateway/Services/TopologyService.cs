using ControlPlane.Domain.Topology;
using ControlPlane.Gateway.Mapping;
using ControlPlane.Gateway.Security;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Topology;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

public sealed class TopologyService(IGrainFactory grains) : V1.Topology.TopologyBase
{
    private ITopologyGrain Topology => grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key);
    private ITopologyChangeLogGrain Changes => grains.GetGrain<ITopologyChangeLogGrain>(ITopologyChangeLogGrain.Key);

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

    public override async Task<V1.TopologyChange> AddZone(V1.AddZoneRequest request, ServerCallContext context)
    {
        var author = Author(context, request.Actor, request.Reason);
        var command = new AddZoneCommand(request.Region, request.Zone, request.Datacentre, [.. request.Racks.Select(g => g.ToModel())]);
        return (await (request.ValidateOnly ? Changes.CheckAddZoneAsync(command, author) : Changes.AddZoneAsync(command, author))).ToProto();
    }

    public override async Task<V1.TopologyChange> SetRegionRole(V1.SetRegionRoleRequest request, ServerCallContext context)
    {
        var (actor, actorProblem) = Actors.Of(context, request.Actor);
        Validate.ThrowIfAny(
            ("region", Validate.Id("region", request.Region)),
            ("role", request.Role is V1.RegionRole.Production or V1.RegionRole.DisasterRecovery ? null : "role must be REGION_ROLE_PRODUCTION or REGION_ROLE_DISASTER_RECOVERY"),
            ("actor", actorProblem),
            ("reason", ReasonProblem(request.Reason)));
        var (role, author) = ((RegionRole)(int)request.Role, new ChangeAuthor(actor, request.Reason));
        return (await (request.ValidateOnly ? Changes.CheckSetRegionRoleAsync(request.Region, role, author) : Changes.SetRegionRoleAsync(request.Region, role, author))).ToProto();
    }

    public override async Task<V1.TopologyChange> RetireZone(V1.RetireZoneRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("zone", Validate.Id("zone", request.Zone)));
        var author = Author(context, request.Actor, request.Reason);
        return (await (request.ValidateOnly ? Changes.CheckRetireZoneAsync(request.Zone, author) : Changes.RetireZoneAsync(request.Zone, author))).ToProto();
    }

    public override async Task<V1.ListTopologyChangesResponse> ListTopologyChanges(V1.ListTopologyChangesRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            ("after_version", request.AfterVersion < 0 ? "after_version must not be negative" : null),
            ("page_size", Validate.PageSize("page_size", request.PageSize)));
        var changes = await Changes.ListAsync(request.AfterVersion);
        var response = new V1.ListTopologyChangesResponse { LatestVersion = changes.Length > 0 ? changes[^1].Version : await Changes.GetVersionAsync() };
        response.Changes.AddRange(changes.Take(request.PageSize > 0 ? request.PageSize : Validate.DefaultPageSize).Select(c => c.ToProto()));
        return response;
    }

    /// <summary>Every change names who asks (the authenticated principal) and why (recorded as given).</summary>
    private static ChangeAuthor Author(ServerCallContext context, string stated, string reason)
    {
        var (actor, problem) = Actors.Of(context, stated);
        Validate.ThrowIfAny(("actor", problem), ("reason", ReasonProblem(reason)));
        return new ChangeAuthor(actor, reason);
    }

    private static string? ReasonProblem(string reason) => reason.Length > 200 ? "reason must be at most 200 characters" : null;
}
