using ControlPlane.Model;

namespace ControlPlane.Grains;

/// <summary>
/// One idempotency key (key: the caller's request_id). The first request starts an operation;
/// a repeat with the same body returns it, a repeat with another body is refused.
/// </summary>
public interface IRequestGrain : IGrainWithStringKey
{
    Task<OperationInfo> CreateInstanceAsync(CreateInstanceCommand command);
    Task<OperationInfo> DeleteInstanceAsync(DeleteInstanceCommand command);
    Task<OperationInfo> CreateZoneRedundantAsync(CreateZoneRedundantCommand command);
    Task<OperationInfo> OrderServiceAsync(OrderServiceCommand command);
    Task<OperationInfo> CancelServiceAsync(CancelServiceCommand command);
}
