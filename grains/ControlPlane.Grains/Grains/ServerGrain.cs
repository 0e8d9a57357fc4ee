using ControlPlane.Telemetry;
using ControlPlane.Affinity;
using ControlPlane.Model;
using ControlPlane.Topology;

namespace ControlPlane.Grains;

/// <summary>
/// The single authority on a server's allocations. Grains are single-threaded, so the check and
/// the write of a reservation cannot interleave: allocations never exceed capacity.
/// </summary>
[OpsCentreAffinity]
public sealed class ServerGrain(
    PlatformTopology topology,
    [PersistentState("server", StorageNames.State)] IPersistentState<ServerState> state) : Grain, IServerGrain
{
    private ServerSpec Spec => topology.FindServer(this.GetPrimaryKeyString()) ?? throw Failures.ServerNotFound(this.GetPrimaryKeyString());

    private ResourceAmount Allocated => state.State.Allocations.Values.Aggregate(ResourceAmount.Zero, (sum, a) => sum + a.Resources);

    public Task<ServerDetails> GetAsync()
    {
        var spec = Spec;
        return Task.FromResult(new ServerDetails(spec.Id, spec.Zone, spec.Region, spec.Datacentre, spec.Rack, spec.Sku, spec.GpuModel,
            spec.Capacity, Allocated, [.. state.State.Allocations.Values.OrderBy(a => a.InstanceId, StringComparer.Ordinal)]));
    }

    public Task<ServerUsage> GetUsageAsync() => Task.FromResult(Usage(Spec));

    public async Task<ServerUsage?> TryReserveAsync(ServerAllocation allocation)
    {
        var spec = Spec;
        if (state.State.Allocations.ContainsKey(allocation.InstanceId)) return Usage(spec);

        var free = spec.Capacity - Allocated;
        if (!free.Covers(allocation.Resources)) return null;
        if (allocation.Resources.Gpus > 0 && allocation.GpuModel.Length > 0 && allocation.GpuModel != spec.GpuModel) return null;

        state.State.Allocations[allocation.InstanceId] = allocation;
        await state.PersistAsync(this);
        return Usage(spec);
    }

    public async Task<ServerUsage> ReleaseAsync(string instanceId)
    {
        var spec = Spec;
        if (state.State.Allocations.Remove(instanceId))
        {
            await state.PersistAsync(this);
        }
        return Usage(spec);
    }

    private ServerUsage Usage(ServerSpec spec) => new(spec.Capacity - Allocated, [.. state.State.Allocations.Keys]);
}
