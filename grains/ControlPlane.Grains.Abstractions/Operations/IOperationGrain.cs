using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Services;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Operations;

/// <summary>
/// A provisioning operation (key: operation id); drives the instance to its desired state. A caller's
/// request reaches its operation through <see cref="Requests"/> (keyed within its tenant): the first call starts it,
/// a retry with the same body returns it, a repeat with another body is refused (ALREADY_EXISTS).
/// </summary>
public interface IOperationGrain : IGrainWithStringKey
{
    Task<OperationInfo> StartCreateAsync(CreateInstanceCommand command);
    Task<OperationInfo> StartDeleteAsync(DeleteInstanceCommand command);
    Task<OperationInfo> StartMoveAsync(MoveInstanceCommand command);
    Task<OperationInfo> StartZoneRedundantAsync(CreateZoneRedundantCommand command);
    Task<OperationInfo> StartOrderServiceAsync(OrderServiceCommand command);
    Task<OperationInfo> StartCancelServiceAsync(CancelServiceCommand command);
    Task<OperationInfo> StartDrainAsync(DrainServerCommand command);

    /// <summary>
    /// Dry runs (validate_only): every check the matching Start call makes, with its refusal, but nothing stored or
    /// held — no operation, no request_id binding, no quota, no capacity. See <see cref="OperationPreview"/>.
    /// </summary>
    Task<OperationPreview> CheckCreateAsync(CreateInstanceCommand command);

    Task<OperationPreview> CheckDeleteAsync(DeleteInstanceCommand command);

    Task<OperationPreview> CheckZoneRedundantAsync(CreateZoneRedundantCommand command);

    Task<OperationPreview> CheckOrderServiceAsync(OrderServiceCommand command);

    Task<OperationPreview> CheckCancelServiceAsync(CancelServiceCommand command);

    /// <summary>
    /// The operation as last stored, or null when no operation has this id. Answered between the operation's own
    /// calls, so that a watcher is never held behind a step waiting on an agent.
    /// </summary>
    [AlwaysInterleave]
    Task<OperationInfo?> GetAsync();

    /// <summary>
    /// The instance a create that has not ended holds (stored with the operation, the instance having no record of its
    /// own yet); null once it ended, or for any other operation or instance. Answered between the operation's own calls:
    /// the instance's grain asks while the operation may be calling it.
    /// </summary>
    [AlwaysInterleave]
    Task<InstanceInfo?> GetHeldInstanceAsync(string instanceId);

    /// <summary>Returns when the operation is terminal or <paramref name="timeout"/> has passed.</summary>
    [AlwaysInterleave, ResponseTimeout("00:05:30")]
    Task<OperationInfo?> WaitAsync(TimeSpan timeout);

    /// <summary>Carries an acknowledged operation on to its end.</summary>
    [OneWay]
    Task ResumeAsync();
}
