using ControlPlane.Model;

namespace ControlPlane.Grains;

/// <summary>A tenant (key: tenant id): its policy, quota, usage and the records of its instances.</summary>
public interface ITenantGrain : IGrainWithStringKey
{
    Task<TenantInfo> CreateAsync(TenantSpec spec);
    Task<TenantInfo> GetAsync();

    /// <summary>Checks region and quota, holds the quota and records the instance as provisioning.</summary>
    Task<InstanceInfo> AdmitInstanceAsync(InstanceInfo instance);

    /// <summary>Drops an instance that was admitted but never placed, releasing its quota.</summary>
    Task AbortInstanceAsync(string instanceId);

    Task<InstanceInfo> UpdateInstanceAsync(string instanceId, string zone, string serverId, InstanceState state);

    /// <summary>Marks a running instance as deleting by <paramref name="operationId"/>; refuses one that another operation holds.</summary>
    Task<InstanceInfo> BeginDeleteAsync(string instanceId, string operationId);

    /// <summary>Removes a deleted instance and releases its quota.</summary>
    Task CompleteDeleteAsync(string instanceId);

    Task<InstanceInfo> GetInstanceAsync(string instanceId);
    Task<Page<InstanceInfo>> ListInstancesAsync(int pageSize, string? pageToken);
}
