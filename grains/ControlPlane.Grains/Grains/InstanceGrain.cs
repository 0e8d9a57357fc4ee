using ControlPlane.Errors;
using ControlPlane.Model;
using ControlPlane.Telemetry;

namespace ControlPlane.Grains;

public sealed class InstanceGrain(
    TimeProvider clock,
    [PersistentState("instance", StorageNames.State)] IPersistentState<InstanceGrainState> state) : Grain, IInstanceGrain
{
    private InstanceInfo Instance => state.State.Instance ?? throw Failures.InstanceNotFound(this.GetPrimaryKeyString());

    public async Task<InstanceInfo> CreateAsync(InstanceInfo instance)
    {
        if (state.State.Instance is { } existing) return existing;
        return await SaveAsync(instance);
    }

    public Task<InstanceInfo> UpdateAsync(string zone, string serverId, InstanceState instanceState) =>
        SaveAsync(Instance with { Zone = zone, ServerId = serverId, State = instanceState, UpdateTime = clock.GetUtcNow() });

    public async Task<InstanceInfo> BeginDeleteAsync(string operationId)
    {
        var instance = Instance;
        if (instance.State == InstanceState.Deleting && instance.OperationId == operationId) return instance;
        if (instance.State != InstanceState.Running)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.InstanceBusy,
                $"instance '{instance.Id}' is {instance.State.ToString().ToLowerInvariant()}; it can be deleted once it is running",
                ("instance_id", instance.Id), ("state", instance.State.ToString().ToUpperInvariant())).ToException();
        }
        return await SaveAsync(instance with { State = InstanceState.Deleting, OperationId = operationId, UpdateTime = clock.GetUtcNow() });
    }

    public async Task RemoveAsync()
    {
        if (state.State.Instance is null) return;
        await state.ClearStateAsync();
    }

    public Task<InstanceInfo?> GetAsync() => Task.FromResult(state.State.Instance);

    private async Task<InstanceInfo> SaveAsync(InstanceInfo instance)
    {
        state.State.Instance = instance;
        await state.PersistAsync(this);
        return instance;
    }
}
