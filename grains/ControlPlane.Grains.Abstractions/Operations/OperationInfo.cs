using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Grains.Abstractions.Operations;

/// <summary>
/// A provisioning operation. <see cref="Rejected"/> marks an operation refused at admission
/// (quota, capacity, unknown instance): its caller got the error, not the operation, and a
/// repeated request with the same id gets the same error again. <see cref="TraceId"/> is the trace
/// (W3C trace id) in which the operation started: an operator finds the whole provisioning by it.
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
    [property: Id(10)] bool Rejected,
    [property: Id(11)] string TraceId = "")
{
    public bool IsTerminal => State is OperationState.Succeeded or OperationState.Failed;

    /// <summary>For an operation on several instances (a zone-redundant create): all of them; <see cref="InstanceId"/> is the first.</summary>
    [Id(12)] public ImmutableArray<string> InstanceIds { get; init; } = [];

    /// <summary>For an order or cancellation of a service: the service.</summary>
    [Id(13)] public string ServiceId { get; init; } = "";

    /// <summary>For a drain: the server. Such an operation names no tenant: it is the platform's (<see cref="Access.OperationAccess"/>).</summary>
    [Id(14)] public string ServerId { get; init; } = "";
}
