using System.Collections.Immutable;
using Orleans.Concurrency;
using ControlPlane.Model;

namespace ControlPlane.Grains;

/// <summary>A provisioning operation (key: operation id); drives the instance to its desired state.</summary>
public interface IOperationGrain : IGrainWithStringKey
{
    Task<OperationInfo> StartCreateAsync(CreateInstanceCommand command, string instanceId);
    Task<OperationInfo> StartDeleteAsync(DeleteInstanceCommand command);
    Task<OperationInfo> StartMoveAsync(MoveInstanceCommand command);
    Task<OperationInfo> StartZoneRedundantAsync(CreateZoneRedundantCommand command, ImmutableArray<string> instanceIds);
    Task<OperationInfo> StartOrderServiceAsync(OrderServiceCommand command, string serviceId, ImmutableArray<string> instanceIds);
    Task<OperationInfo> StartCancelServiceAsync(CancelServiceCommand command);

    /// <summary>The operation, or null when no operation has this id.</summary>
    Task<OperationInfo?> GetAsync();

    /// <summary>Returns when the operation is terminal or <paramref name="timeout"/> has passed.</summary>
    [AlwaysInterleave, ResponseTimeout("00:05:30")]
    Task<OperationInfo?> WaitAsync(TimeSpan timeout);

    /// <summary>Carries an acknowledged operation on to its end.</summary>
    [OneWay]
    Task ResumeAsync();
}
