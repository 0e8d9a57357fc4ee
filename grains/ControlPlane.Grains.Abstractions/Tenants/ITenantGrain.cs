using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Paging;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Tenants;

/// <summary>
/// A tenant (key: tenant id): its policy, its quota and usage, and which instances it owns. The
/// instances' records live in their own grains, so the tenant's state stays small.
/// </summary>
public interface ITenantGrain : IGrainWithStringKey
{
    Task<TenantInfo> CreateAsync(TenantSpec spec);

    /// <summary>The checks of <see cref="CreateAsync"/>, storing nothing (a dry run): the tenant as it would be created.</summary>
    [ReadOnly]
    Task<TenantInfo> CheckCreateAsync(TenantSpec spec);
    Task<TenantInfo> GetAsync();

    /// <summary>Checks region, name and quota, and holds the quota for the instance. Idempotent per instance id.</summary>
    Task AdmitInstanceAsync(string instanceId, string name, string region, ResourceAmount resources);

    /// <summary>
    /// The checks of <see cref="AdmitInstanceAsync"/> for new instances admitted one after the other (a zone-redundant
    /// set's members: each counts the quota of those before it), holding nothing: a dry run.
    /// </summary>
    [ReadOnly]
    Task CheckInstancesAsync(string region, ImmutableArray<TenantInstance> instances);

    /// <summary>Gives back an instance's quota and name (a refused, failed or deleted instance). Idempotent.</summary>
    Task ReleaseInstanceAsync(string instanceId);

    /// <summary>Checks region and name, and records the service. Idempotent per service id.</summary>
    Task AdmitServiceAsync(string serviceId, string name, string region);

    /// <summary>The checks of <see cref="AdmitServiceAsync"/> for a new service, recording nothing (a dry run).</summary>
    [ReadOnly]
    Task CheckServiceAsync(string name, string region);

    /// <summary>Forgets a refused or cancelled service (its name is free again). Idempotent.</summary>
    Task ReleaseServiceAsync(string serviceId);

    /// <summary>The ids of the tenant's services, ordered, one page at a time.</summary>
    Task<Page<string>> ListServiceIdsAsync(int pageSize, string? pageToken);

    /// <summary>The ids of the tenant's instances, ordered, one page at a time.</summary>
    Task<Page<string>> ListInstanceIdsAsync(int pageSize, string? pageToken);
}
