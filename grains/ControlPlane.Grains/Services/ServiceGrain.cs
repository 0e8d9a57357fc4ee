using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Services;

/// <summary>
/// An ordered service's record. Seat changes go through it, so they are serialized with its
/// cancellation, and its metering is told each change in the same turn.
/// </summary>
public sealed class ServiceGrain(
    OfferCatalogue catalogue,
    TimeProvider clock,
    [PersistentState("service", StorageNames.State)] IPersistentState<ServiceGrainState> state) : Grain, IServiceGrain
{
    private ServiceInfo Service => state.State.Service ?? throw Failures.ServiceNotFound(this.GetPrimaryKeyString());

    public async Task<ServiceInfo> CreateAsync(ServiceInfo service)
    {
        if (state.State.Service is { } existing) return existing;
        return await SaveAsync(service);
    }

    public async Task<ServiceInfo> ActivateAsync()
    {
        var service = Service;
        if (service.State != ServiceState.Provisioning) return service;
        return await SaveAsync(service with { State = ServiceState.Active, UpdateTime = clock.GetUtcNow() });
    }

    public async Task<ServiceInfo> BeginCancelAsync(string operationId)
    {
        var service = Service;
        if (service.State == ServiceState.Cancelling) return service.OperationId == operationId ? service
            : await SaveAsync(service with { OperationId = operationId, UpdateTime = clock.GetUtcNow() });
        EnsureCancellable(service);
        return await SaveAsync(service with { State = ServiceState.Cancelling, OperationId = operationId, UpdateTime = clock.GetUtcNow() });
    }

    public Task CheckCancelAsync()
    {
        var service = Service;
        if (service.State != ServiceState.Cancelling) EnsureCancellable(service);
        return Task.CompletedTask;
    }

    /// <summary>Only an active service can begin its cancellation (a cancelling one is taken over before this).</summary>
    private static void EnsureCancellable(ServiceInfo service)
    {
        if (service.State != ServiceState.Active) throw Conflict(service, "cancelled");
    }

    public async Task<ServiceInfo> CompleteCancelAsync()
    {
        var service = Service;
        if (service.State == ServiceState.Cancelled) return service;
        return await SaveAsync(service with { State = ServiceState.Cancelled, UpdateTime = clock.GetUtcNow() });
    }

    public async Task<ServiceInfo> SetSeatsAsync(int seats)
    {
        var service = await EnsureSeatsChangeableAsync();
        if (service.Seats != seats)
        {
            service = await SaveAsync(service with { Seats = seats, SeatsVersion = service.SeatsVersion + 1, UpdateTime = clock.GetUtcNow() });
        }
        // Repeated after an interruption too: the metering grain applies each change once.
        if (service.SeatsVersion > 1)
        {
            await GrainFactory.GetGrain<IMeteringGrain>(service.TenantId).ReplaceAsync(service.UsageIdOf(service.SeatsVersion - 1),
                new UsageRecord(service.UsageId, service.OfferId, service.Region, service.UpdateTime, null) { Seats = seats });
        }
        return service;
    }

    public async Task<ServiceInfo> CheckSetSeatsAsync(int seats)
    {
        var service = await EnsureSeatsChangeableAsync();
        return service.Seats == seats ? service : service with { Seats = seats, UpdateTime = clock.GetUtcNow() };
    }

    /// <summary>The caller's right on the tenant, a per-seat offer, an active service: throws the refusal, else the service as stored.</summary>
    private async Task<ServiceInfo> EnsureSeatsChangeableAsync()
    {
        var service = Service;
        await Guard.TenantAsync(GrainFactory, service.TenantId, write: true);
        var offer = catalogue.Find(service.OfferId) ?? throw Failures.OfferNotFound(service.OfferId);
        if (!offer.IsPerSeat)
        {
            throw DomainError.BadField(ErrorReasons.InvalidArgument, "seats",
                $"offer '{offer.Id}' of service '{service.Id}' is not priced per seat").ToException();
        }
        if (service.State != ServiceState.Active) throw Conflict(service, "given new seats");
        return service;
    }

    public async Task RemoveAsync()
    {
        if (state.State.Service is null) return;
        await state.ClearAsync(this);
    }

    public Task<ServiceInfo?> GetAsync() => Task.FromResult(state.State.Service);

    private async Task<ServiceInfo> SaveAsync(ServiceInfo service)
    {
        state.State.Service = service;
        await state.PersistAsync(this);
        return service;
    }

    private static ControlPlaneException Conflict(ServiceInfo service, string verb) =>
        DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ServiceStateConflict,
            $"service '{service.Id}' is {service.State.ToString().ToLowerInvariant()}: only an active service can be {verb}",
            (ErrorMetadata.ServiceId, service.Id), (ErrorMetadata.State, service.State.ToString().ToLowerInvariant())).ToException();
}
