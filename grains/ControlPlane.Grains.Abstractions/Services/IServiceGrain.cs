using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Services;

/// <summary>An ordered service (key: service id): the authority on its record, from order to cancellation.</summary>
public interface IServiceGrain : IGrainWithStringKey
{
    /// <summary>Records a new service; recording the same service again returns the record.</summary>
    Task<ServiceInfo> CreateAsync(ServiceInfo service);

    /// <summary>PROVISIONING → ACTIVE, with the instances it runs on.</summary>
    Task<ServiceInfo> ActivateAsync();

    /// <summary>Marks an active service as cancelling by <paramref name="operationId"/> (a cancelling one is taken over); SERVICE_STATE_CONFLICT otherwise.</summary>
    Task<ServiceInfo> BeginCancelAsync(string operationId);

    /// <summary>Refuses as <see cref="BeginCancelAsync"/> refuses a new cancellation (a service neither active nor cancelling), changing nothing: a dry run.</summary>
    [ReadOnly]
    Task CheckCancelAsync();

    /// <summary>Records the service cancelled: nothing runs any more.</summary>
    Task<ServiceInfo> CompleteCancelAsync();

    /// <summary>Changes the seats of an active per-seat service; its metering follows. Idempotent.</summary>
    Task<ServiceInfo> SetSeatsAsync(int seats);

    /// <summary>The checks of <see cref="SetSeatsAsync"/>, changing nothing (a dry run): the service as it would be.</summary>
    [ReadOnly]
    Task<ServiceInfo> CheckSetSeatsAsync(int seats);

    /// <summary>Forgets a service that was never provisioned. Idempotent.</summary>
    Task RemoveAsync();

    /// <summary>The service, or null when it does not exist.</summary>
    Task<ServiceInfo?> GetAsync();
}
