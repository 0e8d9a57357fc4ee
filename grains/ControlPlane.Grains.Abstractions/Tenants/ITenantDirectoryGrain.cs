using ControlPlane.Grains.Abstractions.Paging;

namespace ControlPlane.Grains.Abstractions.Tenants;

/// <summary>The list of tenant ids (key <see cref="Key"/>), for listing, merged from the directory's shards (<see cref="ITenantDirectoryShardGrain"/>).</summary>
public interface ITenantDirectoryGrain : IGrainWithStringKey
{
    const string Key = "all";

    /// <summary>Adds a tenant to its shard.</summary>
    Task AddAsync(string tenantId);
    Task<Page<string>> ListAsync(int pageSize, string? pageToken);
}
