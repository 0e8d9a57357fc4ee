namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// A lockbox grant: an operator's time-bounded access to one tenant's resources, approved by the
/// tenant (or by four-eyes break-glass, then flagged for review). It ends by itself at <see cref="ExpiresAt"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.AccessGrant")]
public sealed record AccessGrant(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Principal,
    [property: Id(3)] string Justification,
    [property: Id(4)] DateTimeOffset RequestedAt,
    [property: Id(5)] TimeSpan Duration,
    [property: Id(6)] AccessGrantState State,
    [property: Id(7)] string DecidedBy,
    [property: Id(8)] DateTimeOffset? DecidedAt,
    [property: Id(9)] DateTimeOffset? ExpiresAt,
    [property: Id(10)] bool BreakGlass,
    [property: Id(11)] string ApprovalId,
    [property: Id(12)] string ReviewedBy,
    [property: Id(13)] DateTimeOffset? ReviewedAt)
{
    public bool IsActiveAt(DateTimeOffset now) => State == AccessGrantState.Active && ExpiresAt > now;

    /// <summary>The state a reader sees: an active grant past its end is expired, whether or not stored so.</summary>
    public AccessGrant AsSeenAt(DateTimeOffset now) =>
        State == AccessGrantState.Active && ExpiresAt <= now ? this with { State = AccessGrantState.Expired } : this;

    public bool NeedsReview => BreakGlass && ReviewedAt is null;
}
