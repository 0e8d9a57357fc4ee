using System.Collections.Immutable;
using System.Globalization;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Access;

public sealed class ApprovalsGrain(
    PlatformTopology topology,
    TimeProvider clock,
    IOptions<SecurityPolicyOptions> policy,
    [PersistentState("approvals", StorageNames.State)] IPersistentState<ApprovalsState> state) : Grain, IApprovalsGrain
{
    /// <summary>Requests kept; the oldest decided ones go first (the audit log keeps every decision).</summary>
    public const int Capacity = 10_000;

    public async Task<ApprovalInfo> RequestAsync(ApprovalAction action, string target, string justification, TimeSpan grantDuration)
    {
        var request = await PrepareRequestAsync(action, target, justification, grantDuration) with { Id = $"apr-{++state.State.LastSequence:D6}" };
        state.State.Requests.Add(request);
        var excess = state.State.Requests.Count - Capacity;
        if (excess > 0) state.State.Requests.RemoveRange(0, excess);
        await SaveAsync();
        return request;
    }

    public Task<ApprovalInfo> CheckRequestAsync(ApprovalAction action, string target, string justification, TimeSpan grantDuration) =>
        PrepareRequestAsync(action, target, justification, grantDuration);

    /// <summary>The request's fields and the caller's authority to ask: throws the refusal, else the request as it would be stored (no id yet).</summary>
    private async Task<ApprovalInfo> PrepareRequestAsync(ApprovalAction action, string target, string justification, TimeSpan grantDuration)
    {
        var caller = CallerContext.Current;
        if (action == ApprovalAction.UnsealPlatform && target.Length == 0) target = Scopes.Platform;
        Validate.ThrowIfAny(
            ("action", Enum.IsDefined(action) ? null : "action is not a known privileged action"),
            ("target", target.Length == 0 ? "target is required" : Validate.Id("target", target)),
            ("justification", justification.Trim().Length == 0 ? "justification is required" : justification.Length > 500 ? "justification must be at most 500 characters" : null),
            ("grant_duration", action != ApprovalAction.BreakGlass ? (grantDuration == TimeSpan.Zero ? null : "grant_duration goes with break-glass only")
                : grantDuration < TimeSpan.Zero || grantDuration > policy.Value.MaxBreakGlassDuration
                    ? $"grant_duration must be at most {policy.Value.MaxBreakGlassDuration:c}" : null));
        await RequireAuthorityAsync(action, target, requesting: true);

        var now = clock.GetUtcNow();
        return new ApprovalInfo("", action, target, justification.Trim(), caller?.Principal ?? "platform",
            now, ApprovalState.Pending, "", null, now + policy.Value.ApprovalLifetime, null,
            action == ApprovalAction.BreakGlass && grantDuration == TimeSpan.Zero ? policy.Value.MaxBreakGlassDuration : grantDuration);
    }

    public async Task<ApprovalInfo> ApproveAsync(string id) => await DecideAsync(id, ApprovalState.Approved);

    public async Task<ApprovalInfo> RejectAsync(string id) => await DecideAsync(id, ApprovalState.Rejected);

    public async Task<ApprovalInfo> CheckApproveAsync(string id) => (await PrepareDecisionAsync(id, ApprovalState.Approved)).Request;

    public async Task<ApprovalInfo> CheckRejectAsync(string id) => (await PrepareDecisionAsync(id, ApprovalState.Rejected)).Request;

    public async Task<ApprovalInfo> CheckAsync(string id, ApprovalAction action, string target)
    {
        RequireUsable(id, action, target);
        // Claimed here, in the grain's one turn, so that of concurrent uses only the first gets through.
        return await MarkUsedAsync(id);
    }

    public Task<ApprovalInfo> CheckUsableAsync(string id, ApprovalAction action, string target) => Task.FromResult(RequireUsable(id, action, target));

    /// <summary>An approved, unexpired, unused request of the caller for this action and target: throws APPROVAL_NOT_USABLE otherwise.</summary>
    private ApprovalInfo RequireUsable(string id, ApprovalAction action, string target)
    {
        var request = Find(id);
        var caller = CallerContext.Current;
        var problem = request.State != ApprovalState.Approved ? $"approval {id} is {Format(request.State)}, not approved"
            : request.Requester != caller?.Principal ? $"approval {id} was requested by '{request.Requester}'; only the requester uses it"
            : request.Action != action || request.Target != target ? $"approval {id} is for {request.Action} of '{request.Target}', not {action} of '{target}'"
            : null;
        if (problem is not null)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalNotUsable, problem,
                (ErrorMetadata.ApprovalId, id), (ErrorMetadata.State, Format(request.State))).ToException();
        }
        return request;
    }

    public async Task<ApprovalInfo> MarkUsedAsync(string id)
    {
        var index = IndexOf(id);
        var request = state.State.Requests[index];
        if (request.State == ApprovalState.Used) return request;
        state.State.Requests[index] = request = request with { State = ApprovalState.Used, UsedAt = clock.GetUtcNow() };
        await SaveAsync();
        return request;
    }

    public async Task ReleaseAsync(string id)
    {
        var index = IndexOf(id);
        var request = state.State.Requests[index];
        if (request.State != ApprovalState.Used) return;
        state.State.Requests[index] = request with { State = ApprovalState.Approved, UsedAt = null };
        await SaveAsync();
    }

    public Task<ApprovalInfo?> GetAsync(string id)
    {
        AccessPolicy.Require(CallerContext.Current, Permission.ReadInfrastructure, null);
        var index = state.State.Requests.FindIndex(r => r.Id == id);
        return Task.FromResult(index < 0 ? null : Seen(state.State.Requests[index]));
    }

    public Task<ImmutableArray<ApprovalInfo>> ListAsync(ApprovalState? filter)
    {
        AccessPolicy.Require(CallerContext.Current, Permission.ReadInfrastructure, null);
        return Task.FromResult<ImmutableArray<ApprovalInfo>>(
            [.. state.State.Requests.Select(Seen).Where(r => filter is null || r.State == filter).Reverse()]);
    }

    private async Task<ApprovalInfo> DecideAsync(string id, ApprovalState decision)
    {
        var (index, request, decided) = await PrepareDecisionAsync(id, decision);
        if (!decided) return request;
        state.State.Requests[index] = request;
        await SaveAsync();
        return request;
    }

    /// <summary>
    /// A decision's checks — a pending request (or the same decision by the same principal, answered as it is), a
    /// decider other than the requester, the decider's authority — throwing the refusal; else the request as decided
    /// and whether that is a change to store.
    /// </summary>
    private async Task<(int Index, ApprovalInfo Request, bool Decided)> PrepareDecisionAsync(string id, ApprovalState decision)
    {
        var index = IndexOf(id);
        var request = Seen(state.State.Requests[index]);
        var caller = CallerContext.Current;
        if (request.State != ApprovalState.Pending)
        {
            if (request.State == decision && request.Approver == caller?.Principal) return (index, request, false);
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalNotUsable,
                $"approval {id} is {Format(request.State)}: it can no longer be decided", (ErrorMetadata.ApprovalId, id), (ErrorMetadata.State, Format(request.State))).ToException();
        }
        if (caller is not null && caller.Principal == request.Requester)
        {
            throw AccessPolicy.Denied(ErrorReasons.SelfApproval,
                $"'{caller.Principal}' asked for approval {id}: a second, different principal must decide it", (ErrorMetadata.ApprovalId, id), (ErrorMetadata.Principal, caller.Principal));
        }
        await RequireAuthorityAsync(request.Action, request.Target, requesting: false);
        var now = clock.GetUtcNow();
        return (index, request with
        {
            State = decision,
            Approver = caller?.Principal ?? "platform",
            DecidedAt = now,
            ExpiresAt = decision == ApprovalState.Approved ? now + policy.Value.ApprovalLifetime : request.ExpiresAt,
        }, true);
    }

    /// <summary>
    /// Who may ask: whoever may perform the action. Who may decide: a security officer, or for the
    /// infrastructure's actions an operator who may perform it too.
    /// </summary>
    private async Task RequireAuthorityAsync(ApprovalAction action, string target, bool requesting)
    {
        var caller = CallerContext.Current;
        if (!requesting && caller is not null && caller.Has(Role.SecurityOfficer, Scopes.Platform))
        {
            AccessPolicy.Require(caller, Permission.ManageAccess, Scopes.Platform);
            await ResolveTargetAsync(action, target);
            return;
        }
        switch (action)
        {
            case ApprovalAction.DecommissionServer or ApprovalAction.RetireZone or ApprovalAction.Failover:
                await Guard.AdministerAsync(GrainFactory, topology, await ResolveTargetAsync(action, target));
                break;
            case ApprovalAction.ExportTenant when requesting:
                await ResolveTargetAsync(action, target);
                await Guard.TenantAsync(GrainFactory, target, write: false);
                break;
            case ApprovalAction.BreakGlass when requesting:
                await ResolveTargetAsync(action, target);
                AccessPolicy.Require(caller, Permission.RequestTenantAccess, Scopes.Tenant(target));
                break;
            case ApprovalAction.UnsealPlatform when requesting:
                AccessPolicy.Require(caller, Permission.ManageAccess, Scopes.Platform);
                break;
            default:
                AccessPolicy.Require(caller, Permission.ManageAccess, Scopes.Platform);
                break;
        }
    }

    /// <summary>The region the target belongs to (infrastructure actions); checks that the target exists.</summary>
    private async Task<string> ResolveTargetAsync(ApprovalAction action, string target)
    {
        switch (action)
        {
            case ApprovalAction.DecommissionServer:
                return topology.FindServer(target) is null ? throw NotFound(ErrorReasons.ServerNotFound, $"server '{target}' does not exist")
                    : topology.RegionOf(target)!.Id;
            case ApprovalAction.RetireZone:
                return topology.FindZone(target) is null ? throw NotFound(ErrorReasons.ZoneNotFound, $"zone '{target}' does not exist")
                    : topology.RegionOf(target)!.Id;
            case ApprovalAction.Failover:
                return topology.FindRegion(target) is null ? throw NotFound(ErrorReasons.UnknownRegion, $"region '{target}' does not exist") : target;
            case ApprovalAction.ExportTenant or ApprovalAction.BreakGlass:
                await GrainFactory.GetGrain<ITenantGrain>(target).GetAsync();
                return "";
            default:
                return target == Scopes.Platform ? "" : throw DomainError.BadField(ErrorReasons.InvalidArgument, "target", "the target of an unseal is 'platform'").ToException();
        }
    }

    private ApprovalInfo Seen(ApprovalInfo request) =>
        request.State is ApprovalState.Pending or ApprovalState.Approved && request.ExpiresAt <= clock.GetUtcNow()
            ? request with { State = ApprovalState.Expired } : request;

    private ApprovalInfo Find(string id) => Seen(state.State.Requests[IndexOf(id)]);

    private int IndexOf(string id)
    {
        var index = state.State.Requests.FindIndex(r => r.Id == id);
        return index >= 0 ? index : throw Failures.ApprovalNotFound(id);
    }

    private static ControlPlaneException NotFound(string reason, string message) =>
        DomainError.Of(ErrorStatus.NotFound, reason, message).ToException();

    public static string Format(ApprovalState s) => s.ToString().ToLower(CultureInfo.InvariantCulture);

    private Task SaveAsync() => state.PersistAsync(this);
}
