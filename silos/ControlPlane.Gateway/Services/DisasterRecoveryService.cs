using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Gateway.Mapping;
using ControlPlane.Gateway.Security;
using ControlPlane.Grains.Abstractions.DisasterRecovery;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>Protection of instances, and failover and failback of production regions.</summary>
public sealed class DisasterRecoveryService(IGrainFactory grains) : V1.DisasterRecovery.DisasterRecoveryBase
{
    public override async Task<V1.InstanceProtection> SetInstanceProtection(V1.SetInstanceProtectionRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("instance_id", Validate.Id("instance_id", request.InstanceId)));
        var instance = await grains.GetGrain<IInstanceGrain>(request.InstanceId).GetAsync() ?? throw Failures.InstanceNotFound(request.InstanceId);
        var recovery = grains.GetGrain<IDisasterRecoveryGrain>(ProtectionRegion.Of(instance.Region, instance.HomeRegion));
        if (request.Protected) return (await (request.ValidateOnly ? recovery.CheckProtectAsync(instance.Id) : recovery.ProtectAsync(instance.Id))).ToProto();
        await (request.ValidateOnly ? recovery.CheckUnprotectAsync(instance.Id) : recovery.UnprotectAsync(instance.Id, deleted: false));
        return new V1.InstanceProtection { InstanceId = instance.Id, Protected = false, TenantId = instance.TenantId, Size = instance.Size, Resources = instance.Resources.ToProto() };
    }

    public override async Task<V1.RegionProtection> GetRegionProtection(V1.GetRegionProtectionRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("region", Validate.Id("region", request.Region)));
        return (await grains.GetGrain<IDisasterRecoveryGrain>(request.Region).GetStatusAsync()).ToProto();
    }

    public override async Task<V1.RegionProtection> Failover(V1.RegionRecoveryRequest request, ServerCallContext context)
    {
        var actor = ValidateRun(request, context);
        var recovery = grains.GetGrain<IDisasterRecoveryGrain>(request.Region);
        return (await (request.ValidateOnly ? recovery.CheckFailoverAsync(actor, request.Reason) : recovery.FailoverAsync(actor, request.Reason))).ToProto();
    }

    public override async Task<V1.RegionProtection> Failback(V1.RegionRecoveryRequest request, ServerCallContext context)
    {
        var actor = ValidateRun(request, context);
        var recovery = grains.GetGrain<IDisasterRecoveryGrain>(request.Region);
        return (await (request.ValidateOnly ? recovery.CheckFailbackAsync(actor, request.Reason) : recovery.FailbackAsync(actor, request.Reason))).ToProto();
    }

    /// <returns>The actor recorded with the run.</returns>
    private static string ValidateRun(V1.RegionRecoveryRequest request, ServerCallContext context)
    {
        var (actor, problem) = Actors.Of(context, request.Actor);
        Validate.ThrowIfAny(
            ("region", Validate.Id("region", request.Region)),
            ("actor", problem),
            ("reason", request.Reason.Length > 200 ? "reason must be at most 200 characters" : null));
        return actor;
    }
}
