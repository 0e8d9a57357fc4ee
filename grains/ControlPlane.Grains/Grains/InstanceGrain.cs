using ControlPlane.Telemetry;
namespace ControlPlane.Grains;

public sealed class InstanceGrain(
    [PersistentState("instance", StorageNames.State)] IPersistentState<InstanceLocatorState> state) : Grain, IInstanceGrain
{
    public async Task BindAsync(string tenantId)
    {
        if (state.State.TenantId == tenantId) return;
        state.State.TenantId = tenantId;
        await state.PersistAsync(this);
    }

    public async Task UnbindAsync()
    {
        if (state.State.TenantId is null) return;
        await state.ClearStateAsync();
    }

    public Task<string?> GetTenantAsync() => Task.FromResult(state.State.TenantId);
}
