using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Tenants;

public sealed class TenantDirectoryGrain(
    [PersistentState("tenants", StorageNames.State)] IPersistentState<TenantDirectoryState> state) : Grain, ITenantDirectoryGrain
{
    public async Task AddAsync(string tenantId)
    {
        if (state.State.TenantIds.Add(tenantId))
        {
            await state.PersistAsync(this);
        }
    }

    public Task<Page<string>> ListAsync(int pageSize, string? pageToken) =>
        Task.FromResult(PageToken.Slice(state.State.TenantIds.Order(StringComparer.Ordinal).ToList(), id => id, pageSize, pageToken));
}
