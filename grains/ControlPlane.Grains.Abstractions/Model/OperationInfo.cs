using ControlPlane.Errors;

namespace ControlPlane.Model;

/// <summary>
/// A provisioning operation. <see cref="Rejected"/> marks an operation refused at admission
/// (quota, capacity, unknown instance): its caller got the error, not the operation, and a
/// repeated request with the same id gets the same error again.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.OperationInfo")]
public sealed record OperationInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string RequestId,
    [property: Id(2)] OperationKind Kind,
    [property: Id(3)] OperationState State,
    [property: Id(4)] string InstanceId,
    [property: Id(5)] string TenantId,
    [property: Id(6)] DomainError? Error,
    [property: Id(7)] DateTimeOffset CreateTime,
    [property: Id(8)] DateTimeOffset UpdateTime,
    [property: Id(9)] DateTimeOffset? EndTime,
    [property: Id(10)] bool Rejected)
{
    public bool IsTerminal => State is OperationState.Succeeded or OperationState.Failed;
}
