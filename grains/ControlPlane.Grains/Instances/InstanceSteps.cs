using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Regions;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Operations;

namespace ControlPlane.Grains.Instances;

/// <summary>Phases on one instance that several workflows share. Each is idempotent.</summary>
public static class InstanceSteps
{
    /// <summary>Holds a new instance: the tenant admits it (region, name, quota), then its record is written. Returns the record.</summary>
    public static async Task<IInstanceGrain> HoldAsync(OperationContext context, InstanceInfo instance)
    {
        await AdmitAsync(context, instance);
        var record = context.Grains.GetGrain<IInstanceGrain>(instance.Id);
        await record.CreateAsync(instance);
        return record;
    }

    /// <summary>The tenant admits a new instance (region, name, quota).</summary>
    public static Task AdmitAsync(OperationContext context, InstanceInfo instance) =>
        context.Grains.GetGrain<ITenantGrain>(instance.TenantId).AdmitInstanceAsync(instance.Id, instance.Name, instance.Region, instance.Resources);

    /// <summary>Opens the instance's usage record (kept from the first call: a replay never moves its start).</summary>
    public static Task StartMeteringAsync(OperationContext context, string offerId, InstanceInfo instance) =>
        context.Grains.GetGrain<IMeteringGrain>(instance.TenantId).StartAsync(
            new UsageRecord(instance.Id, offerId, instance.Region, context.Now, null));

    /// <summary>Has the agent delete the instance, then forgets it. A failed server's instances are gone with it: nothing to ask its agent.</summary>
    public static async Task DeleteAsync(OperationContext context, InstanceInfo instance)
    {
        var server = await context.Grains.GetGrain<IServerGrain>(instance.ServerId).GetUsageAsync();
        if (server.Lifecycle != ServerLifecycle.Failed)
        {
            await context.CallAgentAsync("agent.delete_instance", instance.ServerId,
                ct => context.Agents.DeleteInstanceAsync(instance.ServerId, instance.Id, ct));
        }
        await ForgetAsync(context, instance);
    }

    /// <summary>Releases whatever an instance holds: its server allocation, its record, its quota.</summary>
    public static async Task ForgetAsync(OperationContext context, InstanceInfo instance)
    {
        if (instance.TenantId.Length == 0) return;
        var placement = instance.ServerId.Length > 0 ? new Placement(instance.Zone, instance.ServerId)
            : instance.Region.Length > 0 ? await context.Grains.GetGrain<IRegionGrain>(instance.Region).FindAsync(instance.Id) : null;
        if (placement is not null)
        {
            await context.Grains.GetGrain<IZoneGrain>(placement.Zone).ReleaseAsync(placement.ServerId, instance.Id);
        }
        await context.Grains.GetGrain<IInstanceGrain>(instance.Id).RemoveAsync();
        await context.Grains.GetGrain<ITenantGrain>(instance.TenantId).ReleaseInstanceAsync(instance.Id);
    }
}
