using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>Four-eyes requests; the grain checks who may ask and who may decide.</summary>
public sealed class ApprovalsService(IGrainFactory grains) : V1.Approvals.ApprovalsBase
{
    private IApprovalsGrain Approvals => grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);

    public override async Task<V1.Approval> RequestApproval(V1.RequestApprovalRequest request, ServerCallContext context)
    {
        var duration = ProtoTime.Read("grant_duration", request.GrantDuration) ?? TimeSpan.Zero;
        Validate.ThrowIfAny(
            ("action", System.Enum.IsDefined((ApprovalAction)(int)request.Action) ? null
                : "action must be DECOMMISSION_SERVER, RETIRE_ZONE, EXPORT_TENANT, UNSEAL_PLATFORM, BREAK_GLASS or FAILOVER"),
            ("grant_duration", duration < TimeSpan.Zero ? "grant_duration cannot be negative" : null));
        var action = (ApprovalAction)(int)request.Action;
        return (await (request.ValidateOnly ? Approvals.CheckRequestAsync(action, request.Target, request.Justification, duration)
            : Approvals.RequestAsync(action, request.Target, request.Justification, duration))).ToProto();
    }

    public override async Task<V1.Approval> Approve(V1.DecideApprovalRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", request.Id)));
        return (await (request.ValidateOnly ? Approvals.CheckApproveAsync(request.Id) : Approvals.ApproveAsync(request.Id))).ToProto();
    }

    public override async Task<V1.Approval> Reject(V1.DecideApprovalRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", request.Id)));
        return (await (request.ValidateOnly ? Approvals.CheckRejectAsync(request.Id) : Approvals.RejectAsync(request.Id))).ToProto();
    }

    public override async Task<V1.Approval> GetApproval(V1.GetApprovalRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Id("id", request.Id)));
        return (await Approvals.GetAsync(request.Id) ?? throw Failures.ApprovalNotFound(request.Id)).ToProto();
    }

    public override async Task<V1.ListApprovalsResponse> ListApprovals(V1.ListApprovalsRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("state", request.State == V1.ApprovalState.Unspecified || System.Enum.IsDefined((ApprovalState)(int)request.State) ? null : "state is not a known state"));
        var response = new V1.ListApprovalsResponse();
        response.Approvals.AddRange((await Approvals.ListAsync(request.State == V1.ApprovalState.Unspecified ? null : (ApprovalState)(int)request.State))
            .Select(a => a.ToProto()));
        return response;
    }
}
