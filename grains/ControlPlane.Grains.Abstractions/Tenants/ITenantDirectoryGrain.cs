using ControlPlane.Grains.Abstractions.Paging;

namespace ControlPlane.Grains.Abstractions.Tenants;

/// <summary>The list of tenant ids (key <see cref="Key"/>), for listing.</summary>
public interface ITenantDirectoryGrain : IGrainWithStringKey
{
    const string Key = "all";

    Task AddAsync(string tenantId);
    Task<Page<string>> ListAsync(int pageSize, string? pageToken);
}
