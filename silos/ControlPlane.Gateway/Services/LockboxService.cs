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
        return (await Lockbox(request.TenantId).RequestAsync(request.Justification, ProtoTime.Read("duration", request.Duration)!.Value)).ToProto();
    }

    public override async Task<V1.AccessGrant> ApproveTenantAccess(V1.TenantAccessRequest request, ServerCallContext context) =>
        (await Grant(request).ApproveAsync(request.GrantId)).ToProto();

    public override async Task<V1.AccessGrant> RejectTenantAccess(V1.TenantAccessRequest request, ServerCallContext context) =>
        (await Grant(request).RejectAsync(request.GrantId)).ToProto();

    public override async Task<V1.AccessGrant> RevokeTenantAccess(V1.TenantAccessRequest request, ServerCallContext context) =>
        (await Grant(request).RevokeAsync(request.GrantId)).ToProto();

    public override async Task<V1.AccessGrant> ReviewBreakGlass(V1.TenantAccessRequest request, ServerCallContext context) =>
        (await Grant(request).ReviewAsync(request.GrantId)).ToProto();

    public override async Task<V1.AccessGrant> BreakGlass(V1.BreakGlassRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId),
            ("approval_id", Validate.Id("approval_id", request.ApprovalId)));
        return (await Lockbox(request.TenantId).BreakGlassAsync()).ToProto();
    }

    public override async Task<V1.ListTenantAccessResponse> ListTenantAccess(V1.ListTenantAccessRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(Validate.TenantId(request.TenantId));
        var response = new V1.ListTenantAccessResponse();
        response.Grants.AddRange((await Lockbox(request.TenantId).ListAsync()).Select(g => g.ToProto()));
        return response;
    }

    private ILockboxGrain Grant(V1.TenantAccessRequest request)
    {
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId),
            ("grant_id", Validate.Id("grant_id", request.GrantId)));
        return Lockbox(request.TenantId);
    }

    private ILockboxGrain Lockbox(string tenantId) => grains.GetGrain<ILockboxGrain>(tenantId);
}
