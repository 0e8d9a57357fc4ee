using ControlPlane.Telemetry;
using ControlPlane.Errors;
using ControlPlane.Model;
using ControlPlane.Security;
using ControlPlane.Topology;

namespace ControlPlane.Grains;

/// <summary>
/// One idempotency key. Its grain runs one request at a time, so two copies of the same request
/// racing each other still start a single operation.
/// </summary>
public sealed class RequestGrain(
    CreateInstanceValidator validator,
    OrderServiceValidator orders,
    TopologySync sync,
    [PersistentState("request", StorageNames.State)] IPersistentState<RequestState> state) : Grain, IRequestGrain
{
    public async Task<OperationInfo> CreateInstanceAsync(CreateInstanceCommand command)
    {
        await Guard.TenantAsync(GrainFactory, command.TenantId, write: true);
        if (state.State.Fingerprint is null)
        {
            await sync.EnsureKnownAsync(command.Region, command.Zone);
            validator.Validate(command);
            await BindAsync(command.Fingerprint, NewId("i-"));
        }
        EnsureSameBody(command.Fingerprint);
        return await GrainFactory.GetGrain<IOperationGrain>(state.State.OperationId).StartCreateAsync(command, state.State.InstanceId);
    }

    public async Task<OperationInfo> DeleteInstanceAsync(DeleteInstanceCommand command)
    {
        await Guard.TenantOfAsync(GrainFactory, async () => (await GrainFactory.GetGrain<IInstanceGrain>(command.InstanceId).GetAsync())?.TenantId);
        if (state.State.Fingerprint is null)
        {
            await BindAsync(command.Fingerprint, command.InstanceId);
        }
        EnsureSameBody(command.Fingerprint);
        return await GrainFactory.GetGrain<IOperationGrain>(state.State.OperationId).StartDeleteAsync(command);
    }

    public async Task<OperationInfo> CreateZoneRedundantAsync(CreateZoneRedundantCommand command)
    {
        await Guard.TenantAsync(GrainFactory, command.TenantId, write: true);
        if (state.State.Fingerprint is null)
        {
            await sync.EnsureKnownAsync(command.Region);
            validator.Validate(command);
            state.State.InstanceIds = [.. Enumerable.Range(0, command.Count).Select(_ => NewId("i-"))];
            await BindAsync(command.Fingerprint, state.State.InstanceIds[0]);
        }
        EnsureSameBody(command.Fingerprint);
        return await GrainFactory.GetGrain<IOperationGrain>(state.State.OperationId).StartZoneRedundantAsync(command, [.. state.State.InstanceIds]);
    }

    public async Task<OperationInfo> OrderServiceAsync(OrderServiceCommand command)
    {
        await Guard.TenantAsync(GrainFactory, command.TenantId, write: true);
        if (state.State.Fingerprint is null)
        {
            var offer = orders.Validate(command);
            state.State.InstanceIds = [.. Enumerable.Range(0, offer.Footprint.Sum(f => f.Count)).Select(_ => NewId("i-"))];
            await BindAsync(command.Fingerprint, NewId("svc-"));
        }
        EnsureSameBody(command.Fingerprint);
        return await GrainFactory.GetGrain<IOperationGrain>(state.State.OperationId)
            .StartOrderServiceAsync(command, state.State.InstanceId, [.. state.State.InstanceIds]);
    }

    public async Task<OperationInfo> CancelServiceAsync(CancelServiceCommand command)
    {
        await Guard.TenantOfAsync(GrainFactory, async () => (await GrainFactory.GetGrain<IServiceGrain>(command.ServiceId).GetAsync())?.TenantId);
        if (state.State.Fingerprint is null)
        {
            await BindAsync(command.Fingerprint, command.ServiceId);
        }
        EnsureSameBody(command.Fingerprint);
        return await GrainFactory.GetGrain<IOperationGrain>(state.State.OperationId).StartCancelServiceAsync(command);
    }

    /// <param name="targetId">The instance (or, for a service order or cancellation, the service) the operation acts on.</param>
    private async Task BindAsync(string fingerprint, string targetId)
    {
        state.State.Fingerprint = fingerprint;
        state.State.OperationId = NewId("op-");
        state.State.InstanceId = targetId;
        await state.PersistAsync(this);
    }

    private void EnsureSameBody(string fingerprint)
    {
        if (state.State.Fingerprint != fingerprint)
        {
            var key = this.GetPrimaryKeyString();
            throw DomainError.Of(ErrorStatus.AlreadyExists, ErrorReasons.IdempotencyKeyReused,
                $"request_id '{key}' was already used for a different request (operation {state.State.OperationId}); use a new request_id",
                ("request_id", key), ("operation_id", state.State.OperationId)).ToException();
        }
    }

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..20];
}
