using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Paging;

namespace ControlPlane.Grains.Abstractions.Tenants;

/// <summary>
/// A tenant (key: tenant id): its policy, its quota and usage, and which instances it owns. The
/// instances' records live in their own grains, so the tenant's state stays small.
/// </summary>
public interface ITenantGrain : IGrainWithStringKey
{
    Task<TenantInfo> CreateAsync(TenantSpec spec);
    Task<TenantInfo> GetAsync();

    /// <summary>Checks region, name and quota, and holds the quota for the instance. Idempotent per instance id.</summary>
    Task AdmitInstanceAsync(string instanceId, string name, string region, ResourceAmount resources);

    /// <summary>Gives back an instance's quota and name (a refused, failed or deleted instance). Idempotent.</summary>
    Task ReleaseInstanceAsync(string instanceId);

    /// <summary>Checks region and name, and records the service. Idempotent per service id.</summary>
    Task AdmitServiceAsync(string serviceId, string name, string region);

    /// <summary>Forgets a refused or cancelled service (its name is free again). Idempotent.</summary>
    Task ReleaseServiceAsync(string serviceId);

    /// <summary>The ids of the tenant's services, ordered, one page at a time.</summary>
    Task<Page<string>> ListServiceIdsAsync(int pageSize, string? pageToken);

    /// <summary>The ids of the tenant's instances, ordered, one page at a time.</summary>
    Task<Page<string>> ListInstanceIdsAsync(int pageSize, string? pageToken);
}
