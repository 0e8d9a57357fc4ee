using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Events;

namespace ControlPlane.Grains.Access;

/// <summary>
/// The access rules applied in the grains, to the resource they hold, for the caller in the request
/// context. The platform's own work (a system caller) and the development identity pass; a call without a caller is refused.
/// </summary>
public static class Guard
{
    public static Task TenantAsync(IGrainFactory grains, string tenantId, bool write) =>
        TenantAccess.RequireAsync(grains, CallerContext.Current, write ? Permission.WriteTenant : Permission.ReadTenant, tenantId);

    /// <summary>
    /// A change to the resource of a tenant found by <paramref name="tenantOf"/> (null: no such resource,
    /// which the call itself reports). Callers allowed on every tenant skip the lookup.
    /// </summary>
    public static async Task TenantOfAsync(IGrainFactory grains, Func<Task<string?>> tenantOf)
    {
        var caller = CallerContext.Current;
        if (AccessPolicy.Unchecked(caller)) return;
        AccessPolicy.RequireUnsealed(caller);
        if (AccessPolicy.Holds(caller, Permission.WriteTenant, Scopes.Platform)) return;
        if (await tenantOf() is { } tenantId) await TenantAsync(grains, tenantId, write: true);
    }

    /// <summary>Administration of a region's infrastructure: an operator of that region, working in the centre that pilots it (or took it over).</summary>
    public static async Task AdministerAsync(IGrainFactory grains, PlatformTopology topology, string region)
    {
        AccessPolicy.Require(CallerContext.Current, Permission.Administer, Scopes.Region(region));
        await PilotAsync(grains, topology, region);
    }

    /// <summary>A person acting on a region (its infrastructure, what is sold there) works in the centre that pilots it, or took it over.</summary>
    public static async Task PilotAsync(IGrainFactory grains, PlatformTopology topology, string region)
    {
        var caller = CallerContext.Current;
        if (AccessPolicy.Unchecked(caller) || caller.Kind != PrincipalKind.Person) return;
        var pilot = topology.FindRegion(region)?.OpsCentre ?? "";
        if (caller.OpsCentre == pilot) return;
        var takeovers = await grains.GetGrain<IEventLogGrain>(IEventLogGrain.Key).GetTakeoversAsync();
        AccessPolicy.RequirePilot(caller, region, pilot, takeovers.TryGetValue(pilot, out var takers) ? takers : []);
    }

    /// <summary>
    /// Four-eyes: the caller must hold an approved request for this action and target (its approval_id).
    /// Returns the approval to mark used once the action is done; null when none is needed. It is claimed here when
    /// <paramref name="claim"/>; a dry run passes false: the same checks, and the approval stays approved and unused.
    /// </summary>
    public static async Task<ApprovalInfo?> FourEyesAsync(IGrainFactory grains, ApprovalAction action, string target, bool claim = true)
    {
        if (ApprovalIdOf(action, target) is not { } id) return null;
        var approvals = grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        return claim ? await approvals.CheckAsync(id, action, target) : await approvals.CheckUsableAsync(id, action, target);
    }

    /// <summary>The caller's approval id (APPROVAL_REQUIRED when it has none); null when no approval is needed.</summary>
    private static string? ApprovalIdOf(ApprovalAction action, string target)
    {
        var caller = CallerContext.Current;
        if (AccessPolicy.Unchecked(caller)) return null;
        if (caller.ApprovalId.Length == 0)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalRequired,
                $"{action} of '{target}' needs four-eyes: request an approval (RequestApproval), have a second authorised principal approve it, then repeat the call with its approval_id",
                (ErrorMetadata.Action, action.ToString()), (ErrorMetadata.Target, target)).ToException();
        }
        return caller.ApprovalId;
    }

    /// <summary>
    /// Gives a claimed approval back after its action failed, so that the requester retries with it rather than asking two
    /// people again in the middle of an incident. Best effort: if that fails too, the approval stays used.
    /// </summary>
    public static async Task ReleaseAsync(IGrainFactory grains, ApprovalInfo? approval)
    {
        if (approval is null) return;
        try
        {
            await grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key).ReleaseAsync(approval.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The action's own error is what the caller is answered.
        }
    }

    /// <summary>
    /// Runs the <paramref name="action"/> a claimed <paramref name="approval"/> was for, then marks the approval used. An
    /// action failing in a way <paramref name="giveBack"/> accepts (nothing was done, or a retry would find it done and be
    /// refused) gives the approval back (<see cref="ReleaseAsync"/>); any other failure leaves it used.
    /// </summary>
    public static async Task<T> ActWithApprovalAsync<T>(IGrainFactory grains, ApprovalInfo? approval, Func<Task<T>> action, Func<Exception, bool> giveBack)
    {
        T result;
        try
        {
            result = await action();
        }
        catch (Exception e) when (giveBack(e))
        {
            await ReleaseAsync(grains, approval);
            throw;
        }
        await CompleteAsync(grains, approval);
        return result;
    }

    public static Task CompleteAsync(IGrainFactory grains, ApprovalInfo? approval) =>
        approval is null ? Task.CompletedTask : grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key).MarkUsedAsync(approval.Id);
}
