using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Topology;

namespace ControlPlane.Grains.Instances;

/// <summary>
/// CreateInstance: the size's offer admits the order, the tenant the instance (quota), a server is
/// reserved; then the agent builds it, it turns RUNNING and its metering starts. A refusal, or an
/// agent that fails for good, gives back everything held.
/// </summary>
public sealed class CreateInstanceWorkflow(TopologySync sync, CreateInstanceValidator validator, OfferCatalogue offers)
    : InstanceWorkflow, IOperationWorkflow<CreateInstanceCommand>, IOperationCheck<CreateInstanceCommand>
{
    public override OperationKind Kind => OperationKind.CreateInstance;

    public async Task<OperationDraft?> StartAsync(OperationContext context, CreateInstanceCommand command)
    {
        await Guard.TenantAsync(context.Grains, command.TenantId, write: true);
        InstanceSize? size = null;
        var resuming = await context.BindAsync(command.Fingerprint, async () =>
        {
            await sync.EnsureKnownAsync(command.Region, command.Zone);
            size = validator.Validate(command);
        });
        if (resuming) return null;
        var instance = NewInstance(context, command, size!);
        return new OperationDraft(context.NewOperation(Kind, command.RequestId, instance.Id, command.TenantId, instance.CreateTime), instance, size!.GpuModel);
    }

    /// <summary>The start's and admission's checks in their order — caller, request_id, request, offer, tenant, a server — through their read-only twins.</summary>
    public async Task<OperationPreview> CheckAsync(OperationContext context, CreateInstanceCommand command)
    {
        await Guard.TenantAsync(context.Grains, command.TenantId, write: true);
        if (await context.IsBoundAsync(command.Fingerprint)) return context.Preview(Kind, command.RequestId, command.TenantId);
        await sync.EnsureKnownAsync(command.Region, command.Zone);
        var size = validator.Validate(command);
        var instance = NewInstance(context, command, size);
        await AdmitOfferAsync(context, instance);
        await context.Grains.GetGrain<ITenantGrain>(instance.TenantId).CheckInstancesAsync(instance.Region, [new TenantInstance(instance.Name, instance.Resources)]);
        var placement = await context.Grains.GetGrain<IRegionGrain>(instance.Region).CheckPlacementAsync(PlacementOf(instance, size.GpuModel));
        return context.Preview(Kind, command.RequestId, command.TenantId, zones: placement.Zone);
    }

    private static InstanceInfo NewInstance(OperationContext context, CreateInstanceCommand command, InstanceSize size)
    {
        var now = context.Now;
        return new InstanceInfo(InstanceRecord.IdFor(context.OperationId), command.TenantId, command.Name, size.Name, size.Resources,
            command.Region, command.Zone, "", InstanceState.Provisioning, now, now, context.OperationId)
        {
            AntiAffinityGroup = command.AntiAffinityGroup,
            AntiAffinityScope = AntiAffinity.ScopeOf(command.AntiAffinityGroup, command.AntiAffinityScope),
        };
    }

    /// <summary>
    /// The offer, the tenant, a server. The instance's record stays with the operation (its RUNNING write stores it) until
    /// the instance runs: its grain answers from the operation until then (<see cref="InstanceRecord.CreateOperationOf"/>).
    /// </summary>
    public override async Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming)
    {
        var instance = context.Instance;
        await AdmitOfferAsync(context, instance);
        await InstanceSteps.AdmitAsync(context, instance);
        var placement = await PlaceAsync(context, instance, resuming);
        return Placed(context, instance, placement);
    }

    public override Task RefuseAsync(OperationContext context, DomainError refusal) => InstanceSteps.ForgetAsync(context, context.Instance);

    /// <summary>
    /// The instance's allocation is still on its server; if not (given back by an attempt whose failure was never stored),
    /// the tenant admits it again and it is placed again, on the same server when it has room.
    /// </summary>
    protected override async Task<InstanceInfo> RecheckAsync(OperationContext context, InstanceInfo instance)
    {
        if (instance.Zone.Length > 0 && await context.Grains.GetGrain<IZoneGrain>(instance.Zone).FindAsync(instance.Id) is { } held
            && held.ServerId == instance.ServerId)
        {
            return instance;
        }
        await InstanceSteps.AdmitAsync(context, instance);
        var placement = await PlaceAsync(context, instance, resuming: true);
        return context.State.Instance = Placed(context, instance, placement);
    }

    protected override async Task RunAsync(OperationContext context, InstanceInfo instance)
    {
        await context.CallAgentAsync("agent.create_instance", instance.ServerId,
            ct => context.Agents.CreateInstanceAsync(instance.ServerId, instance, "", ct));
        context.State.Instance = await context.Grains.GetGrain<IInstanceGrain>(instance.Id)
            .RecordRunningAsync(InstanceRecord.Updated(instance, instance.Zone, instance.ServerId, InstanceState.Running, context.Now));
        await InstanceSteps.StartMeteringAsync(context, offers.OfferForSize(instance.Size), instance);
    }

    protected override Task UndoAsync(OperationContext context, InstanceInfo instance, string message) =>
        InstanceSteps.ForgetAsync(context, instance);

    private static InstanceInfo Placed(OperationContext context, InstanceInfo instance, Placement placement) =>
        InstanceRecord.Updated(InstanceRecord.Provisioning(instance, context.Now), placement.Zone, placement.ServerId, InstanceState.Provisioning, context.Now);

    /// <summary>The size's offer admits the order in the region, or refuses it (OFFER_NOT_AVAILABLE) before anything is held.</summary>
    private Task AdmitOfferAsync(OperationContext context, InstanceInfo instance) =>
        context.Grains.GetGrain<IOfferGrain>(offers.OfferForSize(instance.Size)).AdmitOrderAsync(instance.Region);

    /// <summary>A server in the zone asked for (or any of the region's), apart from the instance's anti-affinity group.</summary>
    private static async Task<Placement> PlaceAsync(OperationContext context, InstanceInfo instance, bool resuming)
    {
        var region = context.Grains.GetGrain<IRegionGrain>(instance.Region);
        // A placement made before an interruption is found again, never made twice.
        return (resuming ? await region.FindAsync(instance.Id) : null) ?? await region.PlaceAsync(PlacementOf(instance, context.State.GpuModel));
    }

    private static PlacementRequest PlacementOf(InstanceInfo instance, string gpuModel) =>
        new(instance.Id, instance.TenantId, instance.Size, instance.Resources, gpuModel, instance.Zone,
            AntiAffinityGroup: instance.AntiAffinityKey, AntiAffinityZones: instance.AntiAffinityScope == AntiAffinityScope.Zone,
            PreferServerId: instance.ServerId);
}
