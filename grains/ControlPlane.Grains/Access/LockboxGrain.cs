using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Access;

/// <summary>A tenant's lockbox. A grant ends by itself: past its end it reads as expired and lets nobody in.</summary>
public sealed class LockboxGrain(
    TimeProvider clock,
    IOptions<SecurityPolicyOptions> policy,
    [PersistentState("lockbox", StorageNames.State)] IPersistentState<LockboxState> state) : Grain, ILockboxGrain
{
    /// <summary>Grants kept per tenant; the oldest ended ones go first (the audit log keeps them all).</summary>
    public const int Capacity = 1_000;

    private string TenantId => this.GetPrimaryKeyString();

    public async Task<AccessGrant> RequestAsync(string justification, TimeSpan duration)
    {
        var grant = await PrepareRequestAsync(justification, duration) with { Id = NextId() };
        await AddAsync(grant);
        return grant;
    }

    public Task<AccessGrant> CheckRequestAsync(string justification, TimeSpan duration) => PrepareRequestAsync(justification, duration);

    /// <summary>The fields, the caller's right to ask and an existing tenant: throws the refusal, else the grant as it would be stored (no id yet).</summary>
    private async Task<AccessGrant> PrepareRequestAsync(string justification, TimeSpan duration)
    {
        var caller = CallerContext.Current;
        Validate.ThrowIfAny(
            ("justification", justification.Trim().Length == 0 ? "justification is required" : justification.Length > 500 ? "justification must be at most 500 characters" : null),
            ("duration", duration <= TimeSpan.Zero || duration > policy.Value.MaxLockboxDuration ? $"duration must be positive and at most {policy.Value.MaxLockboxDuration:c}" : null));
        AccessPolicy.Require(caller, Permission.RequestTenantAccess, Scopes.Tenant(TenantId));
        await GrainFactory.GetGrain<ITenantGrain>(TenantId).GetAsync();
        return new AccessGrant("", TenantId, caller?.Principal ?? "platform", justification.Trim(), clock.GetUtcNow(), duration,
            AccessGrantState.Pending, "", null, null, false, "", "", null);
    }

    public Task<AccessGrant> ApproveAsync(string grantId) => DecideAsync(grantId, AccessGrantState.Active);

    public Task<AccessGrant> RejectAsync(string grantId) => DecideAsync(grantId, AccessGrantState.Rejected);

    public Task<AccessGrant> CheckApproveAsync(string grantId) => Task.FromResult(PrepareDecision(grantId, AccessGrantState.Active).Grant);

    public Task<AccessGrant> CheckRejectAsync(string grantId) => Task.FromResult(PrepareDecision(grantId, AccessGrantState.Rejected).Grant);

    public async Task<AccessGrant> RevokeAsync(string grantId) => await StoreAsync(PrepareRevoke(grantId));

    public Task<AccessGrant> CheckRevokeAsync(string grantId) => Task.FromResult(PrepareRevoke(grantId).Grant);

    /// <summary>
    /// The caller's right (the grant's holder, a security officer or the tenant's administrator): throws the refusal, else
    /// the grant as revoked (as it is when it has already ended) and whether that is a change to store.
    /// </summary>
    private (int Index, AccessGrant Grant, bool Changed) PrepareRevoke(string grantId)
    {
        var (index, grant) = Find(grantId);
        var caller = CallerContext.Current;
        if (caller is not null && caller.Principal != grant.Principal && !caller.Has(Role.SecurityOfficer, Scopes.Platform))
        {
            AccessPolicy.Require(caller, Permission.DecideTenantAccess, Scopes.Tenant(TenantId));
        }
        if (grant.State is not (AccessGrantState.Pending or AccessGrantState.Active)) return (index, grant, false);
        var now = clock.GetUtcNow();
        return (index, grant with { State = AccessGrantState.Revoked, DecidedBy = caller?.Principal ?? "platform", DecidedAt = now, ExpiresAt = grant.ExpiresAt is null ? null : now }, true);
    }

    public async Task<AccessGrant> BreakGlassAsync()
    {
        var (grant, approval) = await PrepareBreakGlassAsync(claim: true);
        grant = grant with { Id = NextId() };
        await AddAsync(grant);
        await Guard.CompleteAsync(GrainFactory, approval);
        return grant;
    }

    public async Task<AccessGrant> CheckBreakGlassAsync() => (await PrepareBreakGlassAsync(claim: false)).Grant;

    /// <summary>
    /// The caller's right and its four-eyes approval (claimed when <paramref name="claim"/>, only checked otherwise): throws
    /// the refusal, else the grant as it would be stored (no id yet) and the approval to mark used.
    /// </summary>
    private async Task<(AccessGrant Grant, ApprovalInfo? Approval)> PrepareBreakGlassAsync(bool claim)
    {
        var caller = CallerContext.Current;
        AccessPolicy.Require(caller, Permission.RequestTenantAccess, Scopes.Tenant(TenantId));
        var approval = await Guard.FourEyesAsync(GrainFactory, ApprovalAction.BreakGlass, TenantId, claim);
        var now = clock.GetUtcNow();
        var duration = approval?.GrantDuration ?? policy.Value.MaxBreakGlassDuration;
        return (new AccessGrant("", TenantId, caller?.Principal ?? "platform", approval?.Justification ?? "break-glass", now, duration,
            AccessGrantState.Active, approval?.Approver ?? "", now, now + duration, true, approval?.Id ?? "", "", null), approval);
    }

    public async Task<AccessGrant> ReviewAsync(string grantId) => await StoreAsync(PrepareReview(grantId));

    public Task<AccessGrant> CheckReviewAsync(string grantId) => Task.FromResult(PrepareReview(grantId).Grant);

    /// <summary>A security officer and a break-glass grant: throws the refusal, else the grant as reviewed (as it is when already reviewed) and whether that is a change to store.</summary>
    private (int Index, AccessGrant Grant, bool Changed) PrepareReview(string grantId)
    {
        var caller = CallerContext.Current;
        AccessPolicy.Require(caller, Permission.ManageAccess, Scopes.Platform);
        var (index, grant) = Find(grantId);
        if (!grant.BreakGlass)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.GrantStateConflict,
                $"grant {grantId} is a lockbox grant the tenant approved; only break-glass accesses are reviewed", (ErrorMetadata.GrantId, grantId)).ToException();
        }
        if (grant.ReviewedAt is not null) return (index, grant, false);
        return (index, grant with { ReviewedBy = caller?.Principal ?? "platform", ReviewedAt = clock.GetUtcNow() }, true);
    }

    public Task<bool> HasActiveGrantAsync(string principal)
    {
        var now = clock.GetUtcNow();
        return Task.FromResult(state.State.Grants.Any(g => g.Principal == principal && g.IsActiveAt(now)));
    }

    public Task<ImmutableArray<AccessGrant>> ListAsync()
    {
        // Every grant: security officers, the tenant's administrators and whoever reads its audit records. An operator
        // only the grants he holds himself: a grant opens the tenant's resources, not its other grants.
        var caller = CallerContext.Current;
        var every = caller is null || caller.Has(Role.SecurityOfficer, Scopes.Platform)
            || AccessPolicy.Holds(caller, Permission.ReadAudit, Scopes.Tenant(TenantId))
            || AccessPolicy.Holds(caller, Permission.DecideTenantAccess, Scopes.Tenant(TenantId));
        if (!every && !caller!.HasAnywhere(Role.Operator)) AccessPolicy.Require(caller, Permission.DecideTenantAccess, Scopes.Tenant(TenantId));
        if (caller is not null) AccessPolicy.RequireUnsealed(caller);
        var now = clock.GetUtcNow();
        return Task.FromResult<ImmutableArray<AccessGrant>>(
            [.. state.State.Grants.Where(g => every || g.Principal == caller!.Principal).Select(g => g.AsSeenAt(now)).Reverse()]);
    }

    private async Task<AccessGrant> DecideAsync(string grantId, AccessGrantState decision) => await StoreAsync(PrepareDecision(grantId, decision));

    /// <summary>
    /// A decision's checks — the tenant's administrator, a pending grant (or the same decision by the same principal,
    /// answered as it is), a decider other than the grant's holder — throwing the refusal; else the grant as decided and
    /// whether that is a change to store.
    /// </summary>
    private (int Index, AccessGrant Grant, bool Changed) PrepareDecision(string grantId, AccessGrantState decision)
    {
        var caller = CallerContext.Current;
        AccessPolicy.Require(caller, Permission.DecideTenantAccess, Scopes.Tenant(TenantId));
        var (index, grant) = Find(grantId);
        if (grant.State != AccessGrantState.Pending)
        {
            if (grant.State == decision && grant.DecidedBy == caller?.Principal) return (index, grant, false);
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.GrantStateConflict,
                $"grant {grantId} is {grant.State.ToString().ToLowerInvariant()}: it can no longer be decided", (ErrorMetadata.GrantId, grantId)).ToException();
        }
        if (caller is not null && caller.Principal == grant.Principal)
        {
            throw AccessPolicy.Denied(ErrorReasons.SelfApproval, $"'{caller.Principal}' cannot approve its own access", (ErrorMetadata.GrantId, grantId));
        }
        var now = clock.GetUtcNow();
        return (index, grant with
        {
            State = decision,
            DecidedBy = caller?.Principal ?? "platform",
            DecidedAt = now,
            ExpiresAt = decision == AccessGrantState.Active ? now + grant.Duration : null,
        }, true);
    }

    /// <summary>Writes a prepared change to a grant (nothing when it is none) and answers the grant.</summary>
    private async Task<AccessGrant> StoreAsync((int Index, AccessGrant Grant, bool Changed) change)
    {
        if (!change.Changed) return change.Grant;
        state.State.Grants[change.Index] = change.Grant;
        await SaveAsync();
        return change.Grant;
    }

    private (int Index, AccessGrant Grant) Find(string grantId)
    {
        var index = state.State.Grants.FindIndex(g => g.Id == grantId);
        return index >= 0 ? (index, state.State.Grants[index].AsSeenAt(clock.GetUtcNow()))
            : throw DomainError.Of(ErrorStatus.NotFound, ErrorReasons.GrantNotFound, $"tenant '{TenantId}' has no grant '{grantId}'",
                (ErrorMetadata.TenantId, TenantId), (ErrorMetadata.GrantId, grantId)).ToException();
    }

    private string NextId() => $"lbx-{TenantId}-{++state.State.LastSequence:D4}";

    private async Task AddAsync(AccessGrant grant)
    {
        state.State.Grants.Add(grant);
        var now = clock.GetUtcNow();
        while (state.State.Grants.Count > Capacity && state.State.Grants.FindIndex(g => !g.IsActiveAt(now) && g.State != AccessGrantState.Pending) is >= 0 and var old)
        {
            state.State.Grants.RemoveAt(old);
        }
        await SaveAsync();
    }

    private Task SaveAsync() => state.PersistAsync(this);
}
