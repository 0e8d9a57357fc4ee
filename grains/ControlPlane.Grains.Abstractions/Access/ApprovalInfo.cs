namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>A four-eyes request: asked by one principal, decided by another, used once by the first.</summary>
[GenerateSerializer, Immutable, Alias("cp.ApprovalInfo")]
public sealed record ApprovalInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] ApprovalAction Action,
    [property: Id(2)] string Target,
    [property: Id(3)] string Justification,
    [property: Id(4)] string Requester,
    [property: Id(5)] DateTimeOffset RequestedAt,
    [property: Id(6)] ApprovalState State,
    [property: Id(7)] string Approver,
    [property: Id(8)] DateTimeOffset? DecidedAt,
    [property: Id(9)] DateTimeOffset ExpiresAt,
    [property: Id(10)] DateTimeOffset? UsedAt,
    [property: Id(11)] TimeSpan GrantDuration);
