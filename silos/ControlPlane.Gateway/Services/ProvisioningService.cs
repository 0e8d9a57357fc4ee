using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Tenants;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

public sealed class ProvisioningService(IGrainFactory grains) : V1.Provisioning.ProvisioningBase
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    public override async Task<V1.Operation> CreateInstance(V1.CreateInstanceRequest request, ServerCallContext context)
    {
        await PlacementFields.ThrowIfAnyAsync(grains, request.Size, request.Region, request.Zone,
            ("request_id", Validate.RequestId("request_id", request.RequestId)),
            Validate.TenantId(request.TenantId),
            ("name", Validate.Name("name", request.Name)),
            ("size", string.IsNullOrEmpty(request.Size) ? "size is required; see ListSizes" : null),
            ("region", string.IsNullOrEmpty(request.Region) ? "region is required" : null),
            ("anti_affinity_group", request.AntiAffinityGroup.Length > 0 ? Validate.Name("anti_affinity_group", request.AntiAffinityGroup)
                : request.AntiAffinityScope != V1.AntiAffinityScope.Unspecified ? "anti_affinity_scope needs an anti_affinity_group" : null),
            ("anti_affinity_scope", Enum.IsDefined(request.AntiAffinityScope) ? null : $"anti_affinity_scope {(int)request.AntiAffinityScope} is not a known scope"));
        var command = new CreateInstanceCommand(request.RequestId, request.TenantId, request.Name, request.Size, request.Region, request.Zone)
        {
            AntiAffinityGroup = request.AntiAffinityGroup,
            AntiAffinityScope = AntiAffinity.ScopeOf(request.AntiAffinityGroup, (AntiAffinityScope)(int)request.AntiAffinityScope),
        };
        var operation = grains.TenantOperation(request.TenantId, request.RequestId);
        return request.ValidateOnly ? (await operation.CheckCreateAsync(command)).ToProto() : (await operation.StartCreateAsync(command)).ToProto();
    }

    public override async Task<V1.Operation> CreateZoneRedundantInstances(V1.CreateZoneRedundantInstancesRequest request, ServerCallContext context)
    {
        await PlacementFields.ThrowIfAnyAsync(grains, request.Size, request.Region, "",
            ("request_id", Validate.RequestId("request_id", request.RequestId)),
            Validate.TenantId(request.TenantId),
            ("name", Validate.Name("name", request.Name) ?? (request.Name.Length > 60 ? "name must be at most 60 characters (members add \"-N\")" : null)),
            ("size", string.IsNullOrEmpty(request.Size) ? "size is required; see ListSizes" : null),
            ("region", string.IsNullOrEmpty(request.Region) ? "region is required" : null),
            ("count", request.Count < 2 ? "count must be at least 2" : null));
        var command = new CreateZoneRedundantCommand(request.RequestId, request.TenantId, request.Name, request.Size, request.Region, request.Count);
        var operation = grains.TenantOperation(request.TenantId, request.RequestId);
        return request.ValidateOnly ? (await operation.CheckZoneRedundantAsync(command)).ToProto() : (await operation.StartZoneRedundantAsync(command)).ToProto();
    }

    public override async Task<V1.Operation> DeleteInstance(V1.DeleteInstanceRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            ("request_id", Validate.RequestId("request_id", request.RequestId)),
            ("instance_id", Validate.Id("instance_id", request.InstanceId)));
        var command = new DeleteInstanceCommand(request.RequestId, request.InstanceId);
        var operation = grains.InstanceOperation(request.InstanceId, request.RequestId);
        return request.ValidateOnly ? (await operation.CheckDeleteAsync(command)).ToProto() : (await operation.StartDeleteAsync(command)).ToProto();
    }

    public override async Task<V1.Operation> GetOperation(V1.GetOperationRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", request.Id)));
        return Found(await grains.GetGrain<IOperationGrain>(request.Id).GetAsync(), request.Id).ToProto();
    }

    public override async Task<V1.Operation> WaitOperation(V1.WaitOperationRequest request, ServerCallContext context)
    {
        var timeout = ProtoTime.Read("timeout", request.Timeout) ?? DefaultWait;
        Validate.ThrowIfAny(
            ("id", Validate.Id("id", request.Id)),
            ("timeout", timeout < TimeSpan.Zero || timeout > MaxWait ? $"timeout must be between 0 and {MaxWait.TotalSeconds:0} s" : null));
        // Never wait past the caller's own deadline: answer with the state as it is just before it.
        var untilDeadline = context.Deadline == DateTime.MaxValue ? timeout : context.Deadline - DateTime.UtcNow - TimeSpan.FromMilliseconds(100);
        var wait = untilDeadline < timeout ? (untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.Zero) : timeout;
        return Found(await grains.GetGrain<IOperationGrain>(request.Id).WaitAsync(wait), request.Id).ToProto();
    }

    public override async Task<V1.ListOperationsResponse> ListOperations(V1.ListOperationsRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId, optional: true),
            ("state", Enum.IsDefined(request.State) ? null : $"state {(int)request.State} is not a known operation state"),
            ("kind", Enum.IsDefined(request.Kind) ? null : $"kind {(int)request.Kind} is not a known operation kind"),
            ("page_size", Validate.PageSize("page_size", request.PageSize)));
        var filter = new OperationFilter(
            request.State == V1.OperationState.Unspecified ? null : (OperationState)(int)request.State,
            request.Kind == V1.OperationKind.Unspecified ? null : (OperationKind)(int)request.Kind);
        var page = await grains.ListAsync(request.TenantId, filter, request.PageSize, request.PageToken);
        var response = new V1.ListOperationsResponse { NextPageToken = page.NextPageToken };
        response.Operations.AddRange(page.Items.Select(o => o.ToProto()));
        return response;
    }

    public override async Task<V1.Instance> GetInstance(V1.GetInstanceRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", request.Id)));
        var instance = await grains.GetGrain<IInstanceGrain>(request.Id).GetAsync() ?? throw Failures.InstanceNotFound(request.Id);
        return instance.ToProto();
    }

    public override async Task<V1.ListInstancesResponse> ListInstances(V1.ListInstancesRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId),
            ("page_size", Validate.PageSize("page_size", request.PageSize)));
        var page = await grains.GetGrain<ITenantGrain>(request.TenantId).ListInstanceIdsAsync(request.PageSize, request.PageToken);
        var instances = await Task.WhenAll(page.Items.Select(id => grains.GetGrain<IInstanceGrain>(id).GetAsync()));
        var response = new V1.ListInstancesResponse { NextPageToken = page.NextPageToken };
        // An instance admitted a moment ago may not have its record yet: it shows on the next listing.
        response.Instances.AddRange(instances.OfType<InstanceInfo>().Select(i => i.ToProto()));
        return response;
    }

    private static OperationInfo Found(OperationInfo? operation, string id) => operation ?? throw Failures.OperationNotFound(id);
}
