using System.Collections.Immutable;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// Four-eyes requests (one grain, key <see cref="Key"/>): privileged operations are rare, so one
/// writer keeps their history in order. The caller comes from the request context.
/// </summary>
public interface IApprovalsGrain : IGrainWithStringKey
{
    const string Key = "platform";

    Task<ApprovalInfo> RequestAsync(ApprovalAction action, string target, string justification, TimeSpan grantDuration);

    /// <summary>By a principal other than the requester, allowed to approve this action (SELF_APPROVAL, ROLE_REQUIRED otherwise).</summary>
    Task<ApprovalInfo> ApproveAsync(string id);

    Task<ApprovalInfo> RejectAsync(string id);

    /// <summary>
    /// Dry runs: the checks of <see cref="RequestAsync"/>, <see cref="ApproveAsync"/> and <see cref="RejectAsync"/>, storing
    /// nothing; the request as it would be (a new one has no id: none is taken).
    /// </summary>
    [ReadOnly]
    Task<ApprovalInfo> CheckRequestAsync(ApprovalAction action, string target, string justification, TimeSpan grantDuration);

    [ReadOnly]
    Task<ApprovalInfo> CheckApproveAsync(string id);

    [ReadOnly]
    Task<ApprovalInfo> CheckRejectAsync(string id);

    /// <summary>
    /// Checks that the caller holds an approved, unexpired, unused request for this action and target,
    /// and claims it: it is USED from then on, so of concurrent uses only the first gets through.
    /// Returns it; <see cref="MarkUsedAsync"/> after the action changes nothing more.
    /// </summary>
    Task<ApprovalInfo> CheckAsync(string id, ApprovalAction action, string target);

    /// <summary>The checks of <see cref="CheckAsync"/> without the claim (a dry run): the request stays approved and unused.</summary>
    [ReadOnly]
    Task<ApprovalInfo> CheckUsableAsync(string id, ApprovalAction action, string target);

    Task<ApprovalInfo> MarkUsedAsync(string id);

    /// <summary>Gives back an approval <see cref="CheckAsync"/> claimed for an action that then failed: approved and unused again, for its requester's retry.</summary>
    Task ReleaseAsync(string id);

    [ReadOnly]
    Task<ApprovalInfo?> GetAsync(string id);

    [ReadOnly]
    Task<ImmutableArray<ApprovalInfo>> ListAsync(ApprovalState? state);
}
