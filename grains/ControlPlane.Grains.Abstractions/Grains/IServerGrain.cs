using Orleans.Concurrency;
using ControlPlane.Model;

namespace ControlPlane.Grains;

/// <summary>A physical server (key: server id), the single authority on its own allocations.</summary>
public interface IServerGrain : IGrainWithStringKey
{
    Task<ServerDetails> GetAsync();

    [ReadOnly]
    Task<ServerUsage> GetUsageAsync();

    /// <summary>Grants the allocation if it fits, else returns null. Idempotent per instance id.</summary>
    Task<ServerUsage?> TryReserveAsync(ServerAllocation allocation);

    /// <summary>Frees an instance's allocation; returns the usage after it. Idempotent.</summary>
    Task<ServerUsage> ReleaseAsync(string instanceId);
}
