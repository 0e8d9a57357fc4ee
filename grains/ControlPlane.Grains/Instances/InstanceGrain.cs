using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Instances;

public sealed class InstanceGrain(
    TimeProvider clock,
    [PersistentState("instance", StorageNames.State)] IPersistentState<InstanceGrainState> state) : Grain, IInstanceGrain
{
    private InstanceInfo Instance => state.State.Instance ?? throw Failures.InstanceNotFound(this.GetPrimaryKeyString());

    public async Task<InstanceInfo> CreateAsync(InstanceInfo instance)
    {
        if (state.State.Instance is { } existing) return existing;
        var now = clock.GetUtcNow();
        return await SaveAsync(instance
            .WithCondition(InstanceConditions.Placed, false, InstanceConditions.ReasonProvisioning, "waiting for placement", now)
            .WithCondition(InstanceConditions.Running, false, InstanceConditions.ReasonProvisioning, "waiting for the agent", now));
    }

    public Task<InstanceInfo> UpdateAsync(string zone, string serverId, InstanceState instanceState)
    {
        var now = clock.GetUtcNow();
        var updated = Instance with { Zone = zone, ServerId = serverId, State = instanceState, UpdateTime = now };
        if (serverId.Length > 0)
        {
            updated = updated.WithCondition(InstanceConditions.Placed, true, InstanceConditions.ReasonPlaced, $"on server '{serverId}' in zone '{zone}'", now);
        }
        if (instanceState == InstanceState.Running)
        {
            updated = updated.WithCondition(InstanceConditions.Running, true, InstanceConditions.ReasonAgentConfirmed, $"the agent of server '{serverId}' runs it", now)
                with { ObservedGeneration = updated.Generation };
        }
        return SaveAsync(updated);
    }

    public async Task<InstanceInfo> BeginDeleteAsync(string operationId)
    {
        var instance = Instance;
        if (instance.State == InstanceState.Deleting && instance.OperationId == operationId) return instance;
        if (instance.State != InstanceState.Running) throw Busy(instance, "deleted");
        return await SaveAsync(instance with { State = InstanceState.Deleting, OperationId = operationId, UpdateTime = clock.GetUtcNow() });
    }

    public async Task<InstanceInfo> AbandonDeleteAsync(string operationId)
    {
        var instance = Instance;
        if (instance.State != InstanceState.Deleting || instance.OperationId != operationId) return instance;
        return await SaveAsync(instance with { State = InstanceState.Running, UpdateTime = clock.GetUtcNow() });
    }

    public async Task<InstanceInfo> BeginMoveAsync(string operationId, string fromServerId, bool live)
    {
        var instance = Instance;
        if (instance.State == InstanceState.Moving && instance.OperationId == operationId) return instance;
        if (instance.State != InstanceState.Running) throw Busy(instance, "moved");
        if (instance.ServerId != fromServerId)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.InstanceBusy,
                $"instance '{instance.Id}' is on server '{instance.ServerId}', not '{fromServerId}'",
                (ErrorMetadata.InstanceId, instance.Id), (ErrorMetadata.ServerId, instance.ServerId)).ToException();
        }
        var now = clock.GetUtcNow();
        return await SaveAsync(instance
            .WithCondition(InstanceConditions.Placed, false, live ? InstanceConditions.ReasonMoving : InstanceConditions.ReasonEvacuating,
                live ? $"moving live off server '{fromServerId}'" : $"re-creating it away from failed server '{fromServerId}'", now)
            with { State = InstanceState.Moving, OperationId = operationId, Generation = instance.Generation + 1, UpdateTime = now });
    }

    public async Task<InstanceInfo> CompleteMoveAsync(string operationId, InstanceInfo target)
    {
        var instance = Instance;
        if (instance.OperationId != operationId || instance.State != InstanceState.Moving) return instance;
        var now = clock.GetUtcNow();
        var from = instance.ServerId;
        var reason = target.Region == instance.Region ? InstanceConditions.ReasonPlaced
            : target.HomeRegion.Length > 0 ? InstanceConditions.ReasonFailedOver : InstanceConditions.ReasonFailedBack;
        return await SaveAsync(instance
            .WithCondition(InstanceConditions.Placed, true, reason, $"on server '{target.ServerId}' in zone '{target.Zone}' (moved from '{from}')", now)
            .WithCondition(InstanceConditions.Running, true, InstanceConditions.ReasonAgentConfirmed, $"the agent of server '{target.ServerId}' runs it", now)
            with
            {
                Region = target.Region, Zone = target.Zone, ServerId = target.ServerId, HomeRegion = target.HomeRegion,
                State = InstanceState.Running, ObservedGeneration = instance.Generation, UpdateTime = now,
            });
    }

    public async Task<InstanceInfo> SetDrProtectedAsync(bool protect)
    {
        var instance = Instance;
        if (instance.DrProtected == protect) return instance;
        return await SaveAsync(instance with { DrProtected = protect, UpdateTime = clock.GetUtcNow() });
    }

    public async Task<InstanceInfo> AbandonMoveAsync(string operationId, string message)
    {
        var instance = Instance;
        if (instance.OperationId != operationId || instance.State != InstanceState.Moving) return instance;
        var now = clock.GetUtcNow();
        return await SaveAsync(instance
            .WithCondition(InstanceConditions.Placed, true, InstanceConditions.ReasonMoveFailed, $"still on server '{instance.ServerId}': {message}", now)
            with { State = InstanceState.Running, UpdateTime = now });
    }

    public async Task ObserveAsync(string serverId, string type, bool status, string reason, string message)
    {
        if (state.State.Instance is not { } instance || instance.ServerId != serverId) return;
        var current = instance.Condition(type);
        if (current is not null && current.Status == status && current.Reason == reason) return;
        await SaveAsync(instance.WithCondition(type, status, reason, message, clock.GetUtcNow()));
    }

    public async Task RemoveAsync()
    {
        if (state.State.Instance is null) return;
        await state.ClearAsync(this);
    }

    public Task<InstanceInfo?> GetAsync() => Task.FromResult(state.State.Instance);

    private static ControlPlaneException Busy(InstanceInfo instance, string wanted) =>
        DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.InstanceBusy,
            $"instance '{instance.Id}' is {instance.State.ToString().ToLowerInvariant()}; it can be {wanted} once it is running",
            (ErrorMetadata.InstanceId, instance.Id), (ErrorMetadata.State, instance.State.ToString().ToUpperInvariant())).ToException();

    private async Task<InstanceInfo> SaveAsync(InstanceInfo instance)
    {
        state.State.Instance = instance;
        await state.PersistAsync(this);
        return instance;
    }
}
