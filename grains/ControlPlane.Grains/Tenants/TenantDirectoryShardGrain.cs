using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Tenants;

public sealed class TenantDirectoryShardGrain(
    [PersistentState("tenants", StorageNames.State)] IPersistentState<TenantDirectoryState> state) : Grain, ITenantDirectoryShardGrain
{
    private List<string>? _sorted;

    public async Task AddAsync(string tenantId)
    {
        if (!state.State.TenantIds.Add(tenantId)) return;
        _sorted = null;
        try
        {
            await state.PersistAsync(this);
        }
        catch
        {
            state.State.TenantIds.Remove(tenantId);
            throw;
        }
    }

    public Task<Page<string>> ListAsync(string? after, int limit)
    {
        var sorted = _sorted ??= [.. state.State.TenantIds.Order(StringComparer.Ordinal)];
        var start = after is null ? 0 : sorted.BinarySearch(after, StringComparer.Ordinal) is var i && i >= 0 ? i + 1 : ~i;
        var items = sorted.Skip(start).Take(limit).ToArray();
        return Task.FromResult(new Page<string>([.. items], start + items.Length < sorted.Count ? items[^1] : "", sorted.Count));
    }
}
