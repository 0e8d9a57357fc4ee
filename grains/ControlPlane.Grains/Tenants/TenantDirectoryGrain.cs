using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Storage;

namespace ControlPlane.Grains.Tenants;

/// <summary>
/// The listing of every tenant, merged from the directory's shards (<see cref="ITenantDirectoryShardGrain"/>), where tenants
/// are added. Its own state is the single list earlier versions kept (written whole at each tenant's creation): read, and
/// listed with the shards, never written again.
/// </summary>
public sealed class TenantDirectoryGrain(
    [PersistentState("tenants", StorageNames.State)] IPersistentState<TenantDirectoryState> state) : Grain, ITenantDirectoryGrain
{
    public Task AddAsync(string tenantId) => GrainFactory.GetGrain<ITenantDirectoryShardGrain>(ITenantDirectoryShardGrain.Of(tenantId)).AddAsync(tenantId);

    public async Task<Page<string>> ListAsync(int pageSize, string? pageToken)
    {
        var after = PageToken.Parse(pageToken);
        var size = pageSize == 0 ? Validate.DefaultPageSize : pageSize;
        var shards = await Task.WhenAll(Enumerable.Range(0, ITenantDirectoryShardGrain.Count)
            .Select(i => GrainFactory.GetGrain<ITenantDirectoryShardGrain>(i).ListAsync(after, size)));
        var earlier = state.State.TenantIds.Where(id => after is null || string.CompareOrdinal(id, after) > 0);
        var merged = shards.SelectMany(s => s.Items).Concat(earlier).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var items = merged.Take(size).ToArray();
        var more = merged.Count > size || shards.Any(s => s.NextPageToken.Length > 0);
        return new Page<string>([.. items], more && items.Length > 0 ? PageToken.For(items[^1]) : "",
            shards.Sum(s => s.TotalSize) + state.State.TenantIds.Count);
    }
}
