using ControlPlane.Domain.Topology;
using ControlPlane.Domain.Servers;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Topology;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Servers;

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

    [Fact]
    public async Task A_decommission_whose_write_fails_gives_its_approval_back_and_the_retry_with_it_succeeds()
    {
        var approvals = _grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        var serverId = TestTopology.Create().FindZone("sec-a")!.Servers[3].Id;
        var server = _grains.GetGrain<IServerGrain>(serverId);
        var requester = Callers.Operator("ar-d", "rennes");
        ApprovalInfo request;
        using (Callers.As(requester))
        {
            await server.CordonAsync();
            Assert.Equal(ServerLifecycle.Drained, (await server.DrainAsync()).Lifecycle);
            request = await approvals.RequestAsync(ApprovalAction.DecommissionServer, serverId, "disk failure", TimeSpan.Zero);
        }
        using (Callers.As(Callers.Operator("ar-e", "rennes")))
        {
            await approvals.ApproveAsync(request.Id);
        }

        using (Callers.As(requester, request.Id))
        {
            using (fixture.StorageFaults.FailWrites(ServerState.Name, (id, s) => id.Key.ToString() == serverId && s is ServerState { Lifecycle: ServerLifecycle.Decommissioned }))
            {
                await Provision.FailsAsync(() => server.DecommissionAsync(), ErrorStatus.Unavailable, ErrorReasons.StorageUnavailable);
            }
            Assert.Equal(ApprovalState.Approved, (await approvals.GetAsync(request.Id))!.State);
            Assert.Equal(ServerLifecycle.Drained, (await server.GetAsync()).Lifecycle);

            Assert.Equal(ServerLifecycle.Decommissioned, (await server.DecommissionAsync()).Lifecycle);
        }
        Assert.Equal(ApprovalState.Used, (await approvals.GetAsync(request.Id))!.State);
    }

    [Fact]
    public async Task An_unseal_whose_write_fails_gives_its_approval_back_and_the_platform_stays_sealed()
    {
        var approvals = _grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        var access = _grains.GetGrain<IAccessControlGrain>(IAccessControlGrain.Key);
        var requester = Callers.SecurityOfficer("ar-so-1");
        ApprovalInfo request;
        using (Callers.As(requester))
        {
            await access.SealAsync();
            request = await approvals.RequestAsync(ApprovalAction.UnsealPlatform, "", "vendor support case 7", TimeSpan.Zero);
        }
        using (Callers.As(Callers.SecurityOfficer("ar-so-2")))
        {
            await approvals.ApproveAsync(request.Id);
        }

        using (Callers.As(requester, request.Id))
        {
            using (fixture.StorageFaults.FailWrites("access", (_, s) => s is AccessControlState { Sealed: false }))
            {
                await Provision.FailsAsync(() => access.UnsealAsync(), ErrorStatus.Unavailable, ErrorReasons.StorageUnavailable);
            }
            Assert.Equal(ApprovalState.Approved, (await approvals.GetAsync(request.Id))!.State);
            Assert.True((await access.GetSnapshotAsync()).Sealed);

            Assert.False(await access.UnsealAsync());
            Assert.False((await access.GetSnapshotAsync()).Sealed);
            Assert.True(await access.SealAsync()); // as the platform starts, for the other tests
        }
        Assert.Equal(ApprovalState.Used, (await approvals.GetAsync(request.Id))!.State);
    }

    [Fact]
    public async Task A_retirement_refused_after_its_approval_was_claimed_gives_the_approval_back()
    {
        var approvals = _grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        var log = _grains.GetGrain<ITopologyChangeLogGrain>(ITopologyChangeLogGrain.Key);
        var requester = Callers.Operator("ar-r", "rennes");
        ApprovalInfo request;
        using (Callers.As(requester))
        {
            request = await approvals.RequestAsync(ApprovalAction.RetireZone, "sec-a", "datacentre closing", TimeSpan.Zero);
        }
        using (Callers.As(Callers.Operator("ar-s", "rennes")))
        {
            await approvals.ApproveAsync(request.Id);
        }

        using (Callers.As(requester, request.Id))
        {
            // Region "sec" has no other zone: the change is refused once the approval is claimed.
            await Provision.FailsAsync(() => log.RetireZoneAsync("sec-a", new ChangeAuthor("ar-r", "datacentre closing")),
                ErrorStatus.FailedPrecondition, ErrorReasons.LastZoneOfRegion);
        }

        Assert.Equal(ApprovalState.Approved, (await approvals.GetAsync(request.Id))!.State);
    }
}
