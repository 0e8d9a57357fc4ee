using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>A tenant's lockbox: the grain checks who asks, who decides, and ends grants by itself.</summary>
public sealed class LockboxService(IGrainFactory grains) : V1.Lockbox.LockboxBase
{
    public override async Task<V1.AccessGrant> RequestTenantAccess(V1.RequestTenantAccessRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId),
            ("duration", request.Duration is null ? "duration is required" : null));
        var (lockbox, duration) = (Lockbox(request.TenantId), ProtoTime.Read("duration", request.Duration)!.Value);
        return (await (request.ValidateOnly ? lockbox.CheckRequestAsync(request.Justification, duration) : lockbox.RequestAsync(request.Justification, duration))).ToProto();
    }

    public override Task<V1.AccessGrant> ApproveTenantAccess(V1.TenantAccessRequest request, ServerCallContext context) =>
        ActAsync(request, (g, id) => g.CheckApproveAsync(id), (g, id) => g.ApproveAsync(id));

    public override Task<V1.AccessGrant> RejectTenantAccess(V1.TenantAccessRequest request, ServerCallContext context) =>
        ActAsync(request, (g, id) => g.CheckRejectAsync(id), (g, id) => g.RejectAsync(id));

    public override Task<V1.AccessGrant> RevokeTenantAccess(V1.TenantAccessRequest request, ServerCallContext context) =>
        ActAsync(request, (g, id) => g.CheckRevokeAsync(id), (g, id) => g.RevokeAsync(id));

    public override Task<V1.AccessGrant> ReviewBreakGlass(V1.TenantAccessRequest request, ServerCallContext context) =>
        ActAsync(request, (g, id) => g.CheckReviewAsync(id), (g, id) => g.ReviewAsync(id));

    public override async Task<V1.AccessGrant> BreakGlass(V1.BreakGlassRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId),
            ("approval_id", Validate.Id("approval_id", request.ApprovalId)));
        var lockbox = Lockbox(request.TenantId);
        return (await (request.ValidateOnly ? lockbox.CheckBreakGlassAsync() : lockbox.BreakGlassAsync())).ToProto();
    }

    public override async Task<V1.ListTenantAccessResponse> ListTenantAccess(V1.ListTenantAccessRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(Validate.TenantId(request.TenantId));
        var response = new V1.ListTenantAccessResponse();
        response.Grants.AddRange((await Lockbox(request.TenantId).ListAsync()).Select(g => g.ToProto()));
        return response;
    }

    /// <summary>A change to one grant: its dry run (<paramref name="check"/>) with validate_only, else the change itself.</summary>
    private async Task<V1.AccessGrant> ActAsync(V1.TenantAccessRequest request,
        Func<ILockboxGrain, string, Task<AccessGrant>> check, Func<ILockboxGrain, string, Task<AccessGrant>> act)
    {
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId),
            ("grant_id", Validate.Id("grant_id", request.GrantId)));
        var lockbox = Lockbox(request.TenantId);
        return (await (request.ValidateOnly ? check(lockbox, request.GrantId) : act(lockbox, request.GrantId))).ToProto();
    }

    private ILockboxGrain Lockbox(string tenantId) => grains.GetGrain<ILockboxGrain>(tenantId);
}
