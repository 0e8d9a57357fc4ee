using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Tests.Access;

/// <summary>An approval claimed for an action that then failed goes back to its requester, approved and unused.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApprovalReleaseTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task A_released_claim_is_approved_again_and_can_be_claimed_once_more()
    {
        var approvals = _grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        var server = TestTopology.Create().FindZone("sec-a")!.Servers[3].Id;
        var requester = Callers.Operator("ar-a", "rennes");
        ApprovalInfo request;
        using (Callers.As(requester))
        {
            request = await approvals.RequestAsync(ApprovalAction.DecommissionServer, server, "disk failure", TimeSpan.Zero);
            // Nothing to give back while it is pending.
            await approvals.ReleaseAsync(request.Id);
            Assert.Equal(ApprovalState.Pending, (await approvals.GetAsync(request.Id))!.State);
        }
        using (Callers.As(Callers.Operator("ar-b", "rennes")))
        {
            await approvals.ApproveAsync(request.Id);
        }
        using (Callers.As(requester, request.Id))
        {
            Assert.Equal(ApprovalState.Used, (await approvals.CheckAsync(request.Id, ApprovalAction.DecommissionServer, server)).State);
            await Provision.FailsAsync(() => approvals.CheckAsync(request.Id, ApprovalAction.DecommissionServer, server),
                Abstractions.Errors.ErrorStatus.FailedPrecondition, Abstractions.Errors.ErrorReasons.ApprovalNotUsable);

            await approvals.ReleaseAsync(request.Id);

            var released = (await approvals.GetAsync(request.Id))!;
            Assert.Equal((ApprovalState.Approved, (DateTimeOffset?)null), (released.State, released.UsedAt));
            Assert.Equal(ApprovalState.Used, (await approvals.CheckAsync(request.Id, ApprovalAction.DecommissionServer, server)).State);
        }
    }
}
