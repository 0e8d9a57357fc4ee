using System.Collections.Immutable;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>A tenant's lockbox (key: tenant id): operators' access grants to its resources.</summary>
public interface ILockboxGrain : IGrainWithStringKey
{
    /// <summary>An operator asks for access for <paramref name="duration"/>, once approved.</summary>
    Task<AccessGrant> RequestAsync(string justification, TimeSpan duration);

    /// <summary>The tenant's administrator approves: the grant is active for its duration from now.</summary>
    Task<AccessGrant> ApproveAsync(string grantId);

    Task<AccessGrant> RejectAsync(string grantId);

    /// <summary>By the tenant's administrator, the grant's holder or a security officer. Idempotent.</summary>
    Task<AccessGrant> RevokeAsync(string grantId);

    /// <summary>Emergency access with an approved BreakGlass request of the caller, flagged for review.</summary>
    Task<AccessGrant> BreakGlassAsync();

    /// <summary>A security officer records that a break-glass access was reviewed.</summary>
    Task<AccessGrant> ReviewAsync(string grantId);

    /// <summary>
    /// Dry runs: the checks of <see cref="RequestAsync"/>, <see cref="ApproveAsync"/>, <see cref="RejectAsync"/>,
    /// <see cref="RevokeAsync"/>, <see cref="BreakGlassAsync"/> (its approval checked, not used) and <see cref="ReviewAsync"/>,
    /// storing nothing; the grant as it would be (a new one has no id: none is taken).
    /// </summary>
    [ReadOnly]
    Task<AccessGrant> CheckRequestAsync(string justification, TimeSpan duration);

    [ReadOnly]
    Task<AccessGrant> CheckApproveAsync(string grantId);

    [ReadOnly]
    Task<AccessGrant> CheckRejectAsync(string grantId);

    [ReadOnly]
    Task<AccessGrant> CheckRevokeAsync(string grantId);

    [ReadOnly]
    Task<AccessGrant> CheckBreakGlassAsync();

    [ReadOnly]
    Task<AccessGrant> CheckReviewAsync(string grantId);

    [AlwaysInterleave, ReadOnly]
    Task<bool> HasActiveGrantAsync(string principal);

    [ReadOnly]
    Task<ImmutableArray<AccessGrant>> ListAsync();
}
