using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Operations;

namespace ControlPlane.Grains.Instances;

/// <summary>
/// MoveInstance, the platform's own operation (a drain, an evacuation, a failover or failback):
/// claims the instance and reserves its new server, the agent builds it there (live from the old
/// one, or anew), then the old server is released. If the agent fails for good, the instance stays
/// where it was.
/// </summary>
public sealed class MoveInstanceWorkflow(SizeCatalog sizes) : InstanceWorkflow, IOperationWorkflow<MoveInstanceCommand>
{
    public override OperationKind Kind => OperationKind.MoveInstance;

    /// <summary>
    /// The move of <paramref name="instance"/> off its server, one per generation: whoever starts it (the server's evacuation,
    /// its drain operation) reaches the same operation, and a move that failed leaves a new generation for the next attempt.
    /// </summary>
    public static string OperationIdOf(InstanceInfo instance) => $"op-move-{instance.Id}-g{instance.Generation}";

    public async Task<OperationDraft?> StartAsync(OperationContext context, MoveInstanceCommand command)
    {
        // No caller's body to bind: a repeat of the same move resumes it.
        if (await context.BindAsync(null, () => Task.CompletedTask)) return null;
        var instance = await context.Grains.GetGrain<IInstanceGrain>(command.InstanceId).GetAsync() ?? throw Failures.InstanceNotFound(command.InstanceId);
        var now = context.Now;
        var state = context.State;
        state.FromServerId = command.FromServerId;
        state.FromZone = instance.Zone;
        state.Live = command.Live;
        state.TargetRegion = command.TargetRegion;
        state.PreferServerId = command.PreferServerId;
        return new OperationDraft(context.NewOperation(Kind, "", instance.Id, instance.TenantId, now), instance, sizes.Find(instance.Size)?.GpuModel ?? "");
    }

    /// <summary>
    /// Holds the instance (a new generation) and reserves its new server: in the zone it is in first,
    /// then anywhere in its region. The old server keeps its allocation until the end.
    /// </summary>
    public override async Task<InstanceInfo?> AdmitAsync(OperationContext context, bool resuming)
    {
        var state = context.State;
        var claimed = await context.Grains.GetGrain<IInstanceGrain>(context.Operation.InstanceId).BeginMoveAsync(context.Operation.Id, state.FromServerId, state.Live);
        var region = state.TargetRegion.Length > 0 ? state.TargetRegion : claimed.Region;
        var crossRegion = region != claimed.Region;
        var target = await context.Grains.GetGrain<IRegionGrain>(region).PlaceAsync(
            new PlacementRequest(claimed.Id, claimed.TenantId, claimed.Size, claimed.Resources, state.GpuModel,
                crossRegion ? "" : state.FromZone, AvoidServerId: state.FromServerId, ZoneIsPreference: true,
                AntiAffinityGroup: claimed.AntiAffinityKey, AntiAffinityZones: claimed.AntiAffinityScope == AntiAffinityScope.Zone,
                PreferServerId: state.PreferServerId, Recovery: crossRegion));
        // A failover remembers the region the instance comes from; a failback to it forgets it.
        var home = !crossRegion ? claimed.HomeRegion : region == claimed.HomeRegion ? "" : ProtectionRegion.Of(claimed.Region, claimed.HomeRegion);
        return claimed with { Region = region, Zone = target.Zone, ServerId = target.ServerId, HomeRegion = home };
    }

    public override Task RefuseAsync(OperationContext context, DomainError refusal) =>
        context.Grains.GetGrain<IInstanceGrain>(context.Operation.InstanceId).AbandonMoveAsync(context.Operation.Id, refusal.Message);

    protected override async Task RunAsync(OperationContext context, InstanceInfo target)
    {
        var from = context.State.FromServerId;
        // Read before the call: a retried attempt runs off the grain's thread, where state cannot be read.
        var liveFrom = context.State.Live ? from : "";
        await context.CallAgentAsync("agent.create_instance", target.ServerId, ct => context.Agents.CreateInstanceAsync(target.ServerId, target, liveFrom, ct));
        context.State.Instance = await context.Grains.GetGrain<IInstanceGrain>(target.Id).CompleteMoveAsync(context.Operation.Id, target);
        if (context.State.Live)
        {
            try
            {
                await context.CallAgentAsync("agent.delete_instance", from, ct => context.Agents.DeleteInstanceAsync(from, target.Id, ct));
            }
            catch (Exception e) when (OperationContext.IsAgentFailure(e))
            {
                // The copy left behind is a stray: the old server's reconciliation deletes it.
                context.LogAgentFailed(e, target.Id, from);
            }
        }
        await context.Grains.GetGrain<IZoneGrain>(context.State.FromZone).ReleaseAsync(from, target.Id);
    }

    protected override async Task UndoAsync(OperationContext context, InstanceInfo instance, string message)
    {
        await context.Grains.GetGrain<IZoneGrain>(instance.Zone).ReleaseAsync(instance.ServerId, instance.Id);
        await context.Grains.GetGrain<IInstanceGrain>(instance.Id).AbandonMoveAsync(context.Operation.Id, message);
        // The zone forgot where the instance is when it released the new server: tell it again.
        await context.Grains.GetGrain<IZoneGrain>(context.State.FromZone).ServerChangedAsync(context.State.FromServerId);
    }
}
