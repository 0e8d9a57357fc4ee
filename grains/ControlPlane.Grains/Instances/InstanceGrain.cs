using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Instances;

/// <summary>
/// An instance's record. A single create's instance has none until it runs: its operation holds it (stored with the
/// operation's RUNNING write, so that an acknowledged create needs no write of its own here), and this grain answers
/// from the operation until then (<see cref="InstanceRecord.CreateOperationOf"/>).
/// </summary>
public sealed class InstanceGrain(
    TimeProvider clock,
    [PersistentState("instance", StorageNames.State)] IPersistentState<InstanceGrainState> state) : Grain, IInstanceGrain
{
    private InstanceInfo Instance => state.State.Instance ?? throw Failures.InstanceNotFound(this.GetPrimaryKeyString());

    /// <summary>The record, or the instance as the create that holds it has it; not found when neither has it.</summary>
    private async Task<InstanceInfo> CurrentAsync() => await GetAsync() ?? throw Failures.InstanceNotFound(this.GetPrimaryKeyString());

    public async Task<InstanceInfo> CreateAsync(InstanceInfo instance)
    {
        if (state.State.Instance is { } existing) return existing;
        return await SaveAsync(InstanceRecord.Provisioning(instance, clock.GetUtcNow()));
    }

    public async Task<InstanceInfo> RecordRunningAsync(InstanceInfo running)
    {
        if (state.State.Instance is not { } existing) return await SaveAsync(running);
        if (existing.State == InstanceState.Running && existing.ServerId == running.ServerId) return existing;
        return await SaveAsync(InstanceRecord.Updated(existing, running.Zone, running.ServerId, InstanceState.Running, clock.GetUtcNow()));
    }

    public Task<InstanceInfo> UpdateAsync(string zone, string serverId, InstanceState instanceState) =>
        SaveAsync(InstanceRecord.Updated(Instance, zone, serverId, instanceState, clock.GetUtcNow()));

    public async Task<InstanceInfo> BeginDeleteAsync(string operationId)
    {
        var instance = await CurrentAsync();
        if (instance.State == InstanceState.Deleting && instance.OperationId == operationId) return instance;
        if (instance.State != InstanceState.Running) throw Busy(instance, "deleted");
        return await SaveAsync(instance with { State = InstanceState.Deleting, OperationId = operationId, UpdateTime = clock.GetUtcNow() });
    }

    public async Task CheckDeleteAsync()
    {
        var instance = await CurrentAsync();
        if (instance.State != InstanceState.Running) throw Busy(instance, "deleted");
    }

    public async Task<InstanceInfo> AbandonDeleteAsync(string operationId)
    {
        var instance = await CurrentAsync();
        if (instance.State != InstanceState.Deleting || instance.OperationId != operationId) return instance;
        return await SaveAsync(instance with { State = InstanceState.Running, UpdateTime = clock.GetUtcNow() });
    }

    public async Task<InstanceInfo> BeginMoveAsync(string operationId, string fromServerId, bool live)
    {
        var instance = await CurrentAsync();
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
        var instance = await CurrentAsync();
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
        var instance = await CurrentAsync();
        if (instance.DrProtected == protect) return instance;
        return await SaveAsync(instance with { DrProtected = protect, UpdateTime = clock.GetUtcNow() });
    }

    public async Task<InstanceInfo> AbandonMoveAsync(string operationId, string message)
    {
        var instance = await CurrentAsync();
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

    public async Task<InstanceInfo?> GetAsync()
    {
        if (state.State.Instance is { } recorded) return recorded;
        var id = this.GetPrimaryKeyString();
        return InstanceRecord.CreateOperationOf(id) is { } operationId
            ? await GrainFactory.GetGrain<IOperationGrain>(operationId).GetHeldInstanceAsync(id)
            : null;
    }

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
