using ControlPlane.Agents;
using ControlPlane.Errors;
using ControlPlane.Model;
using ControlPlane.Topology;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Grains;

/// <summary>
/// Drives one create or delete. Admission (quota, placement) happens before the call returns, so
/// a refusal reaches the caller as an error; the agent's work continues after the acknowledgement
/// and ends the operation SUCCEEDED or FAILED.
/// </summary>
public sealed partial class OperationGrain(
    SizeCatalog sizes,
    IServerAgentClient agents,
    TimeProvider clock,
    ILogger<OperationGrain> logger,
    [PersistentState("operation", StorageNames.State)] IPersistentState<OperationGrainState> state) : Grain, IOperationGrain
{
    private TaskCompletionSource? _terminal;

    private OperationInfo Operation => state.State.Operation!;

    public async Task<OperationInfo> StartCreateAsync(CreateInstanceCommand command, string instanceId)
    {
        if (state.State.Operation is { } existing) return existing;

        var size = sizes.Find(command.Size) ?? throw new InvalidOperationException($"size '{command.Size}' was validated but is gone");
        var now = clock.GetUtcNow();
        var instance = new InstanceInfo(instanceId, command.TenantId, command.Name, size.Name, size.Resources,
            command.Region, command.Zone, "", InstanceState.Provisioning, now, now);
        state.State.Instance = instance;
        state.State.Operation = new OperationInfo(this.GetPrimaryKeyString(), command.RequestId, OperationKind.CreateInstance,
            OperationState.Pending, instanceId, command.TenantId, null, now, now, null, false);
        await state.WriteStateAsync();

        var tenant = GrainFactory.GetGrain<ITenantGrain>(command.TenantId);
        var admitted = false;
        try
        {
            await tenant.AdmitInstanceAsync(instance);
            admitted = true;
            await GrainFactory.GetGrain<IInstanceGrain>(instanceId).BindAsync(command.TenantId);
            var placement = await GrainFactory.GetGrain<IRegionGrain>(command.Region).PlaceAsync(
                new PlacementRequest(instanceId, command.TenantId, size.Name, size.Resources, size.GpuModel, command.Zone));
            state.State.Instance = await tenant.UpdateInstanceAsync(instanceId, placement.Zone, placement.ServerId, InstanceState.Provisioning);
        }
        catch (ControlPlaneException e)
        {
            if (admitted)
            {
                await tenant.AbortInstanceAsync(instanceId);
                await GrainFactory.GetGrain<IInstanceGrain>(instanceId).UnbindAsync();
            }
            await FinishAsync(e.Error.With("operation_id", Operation.Id), rejected: true);
            throw new ControlPlaneException(Operation.Error!);
        }

        await SetStateAsync(OperationState.Running);
        this.AsReference<IOperationGrain>().ResumeAsync().Ignore();
        return Operation;
    }

    public async Task<OperationInfo> StartDeleteAsync(DeleteInstanceCommand command)
    {
        if (state.State.Operation is { } existing) return existing;

        var tenantId = await GrainFactory.GetGrain<IInstanceGrain>(command.InstanceId).GetTenantAsync()
            ?? throw Failures.InstanceNotFound(command.InstanceId);
        var instance = await GrainFactory.GetGrain<ITenantGrain>(tenantId).BeginDeleteAsync(command.InstanceId);

        var now = clock.GetUtcNow();
        state.State.Instance = instance;
        state.State.Operation = new OperationInfo(this.GetPrimaryKeyString(), command.RequestId, OperationKind.DeleteInstance,
            OperationState.Running, command.InstanceId, tenantId, null, now, now, null, false);
        await state.WriteStateAsync();
        this.AsReference<IOperationGrain>().ResumeAsync().Ignore();
        return Operation;
    }

    public Task<OperationInfo?> GetAsync() => Task.FromResult(state.State.Operation);

    public async Task<OperationInfo?> WaitAsync(TimeSpan timeout)
    {
        if (state.State.Operation is not { IsTerminal: false }) return state.State.Operation;
        _terminal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.WhenAny(_terminal.Task, Task.Delay(timeout, clock));
        return state.State.Operation;
    }

    public async Task ResumeAsync()
    {
        if (state.State.Operation is not { State: OperationState.Running } operation || state.State.Instance is not { } instance) return;
        try
        {
            if (operation.Kind == OperationKind.CreateInstance)
            {
                await agents.CreateInstanceAsync(instance.ServerId, instance, CancellationToken.None);
                state.State.Instance = await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId)
                    .UpdateInstanceAsync(instance.Id, instance.Zone, instance.ServerId, InstanceState.Running);
            }
            else
            {
                await agents.DeleteInstanceAsync(instance.ServerId, instance.Id, CancellationToken.None);
                await ReleaseAsync(instance);
            }
            await FinishAsync(null, rejected: false);
        }
        catch (Exception e) when (e is not ControlPlaneException)
        {
            LogAgentFailed(logger, e, operation.Id, instance.Id, instance.ServerId);
            if (operation.Kind == OperationKind.CreateInstance)
            {
                await ReleaseAsync(instance);
            }
            await FinishAsync(DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable,
                $"the agent of server '{instance.ServerId}' failed: {e.Message}",
                ("operation_id", operation.Id), ("server_id", instance.ServerId)), rejected: false);
        }
    }

    private async Task ReleaseAsync(InstanceInfo instance)
    {
        await GrainFactory.GetGrain<IZoneGrain>(instance.Zone).ReleaseAsync(instance.ServerId, instance.Id);
        await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).CompleteDeleteAsync(instance.Id);
        await GrainFactory.GetGrain<IInstanceGrain>(instance.Id).UnbindAsync();
    }

    private async Task SetStateAsync(OperationState next)
    {
        state.State.Operation = Operation with { State = next, UpdateTime = clock.GetUtcNow() };
        await state.WriteStateAsync();
    }

    private async Task FinishAsync(DomainError? error, bool rejected)
    {
        var now = clock.GetUtcNow();
        state.State.Operation = Operation with
        {
            State = error is null ? OperationState.Succeeded : OperationState.Failed,
            Error = error,
            Rejected = rejected,
            UpdateTime = now,
            EndTime = now,
        };
        await state.WriteStateAsync();
        _terminal?.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: agent failed for instance {InstanceId} on server {ServerId}")]
    private static partial void LogAgentFailed(ILogger logger, Exception exception, string operationId, string instanceId, string serverId);
}
