using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Tests.Instances;

/// <summary>
/// The phases of MoveInstanceWorkflow, the platform's own operation, started here as a server or
/// the disaster recovery starts it: in regions "wfm" ("wfm-a": 2 servers, "wfm-b": 1), "wfn" (1 server) and "wfo" (2 servers).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MoveInstanceWorkflowTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private IOperationGrain Move(string name) => _grains.GetGrain<IOperationGrain>($"op-wf-move-{name}");

    private async Task<InstanceInfo> CreateAsync(string tenant, string region, string zone)
    {
        await _grains.TenantAsync(tenant, Provision.Quota(64), region);
        return await _grains.InstanceAsync((await _grains.WaitAsync(await _grains.CreateAsync(tenant, "web-1", "s4", region, zone))).InstanceId);
    }

    [Fact]
    public async Task A_live_move_lands_on_another_server_of_the_zone_releases_the_old_one_and_runs_once()
    {
        var before = await CreateAsync("wf-move", "wfm", "wfm-a");

        var done = await _grains.WaitAsync(await Move("live").StartMoveAsync(new MoveInstanceCommand(before.Id, before.ServerId, Live: true)));
        var after = await _grains.InstanceAsync(before.Id);
        var again = await Move("live").StartMoveAsync(new MoveInstanceCommand(before.Id, before.ServerId, Live: true));

        Assert.Equal((OperationKind.MoveInstance, OperationState.Succeeded, "", "wf-move"), (done.Kind, done.State, done.RequestId, done.TenantId));
        Assert.NotEqual(before.ServerId, after.ServerId);
        Assert.Equal((InstanceState.Running, "wfm-a", before.Generation + 1), (after.State, after.Zone, after.Generation));
        Assert.DoesNotContain(before.Id, await _grains.HeldOnAsync(before.ServerId));
        Assert.Contains(before.Id, await _grains.HeldOnAsync(after.ServerId));
        Assert.Equal(4, (await _grains.TenantOfAsync("wf-move")).Usage.Cores);
        Assert.Equal((done.Id, OperationState.Succeeded), (again.Id, again.State));
        Assert.Equal(after.ServerId, (await _grains.InstanceAsync(before.Id)).ServerId);
    }

    [Fact]
    public async Task When_its_zone_has_no_other_server_the_instance_moves_elsewhere_in_its_region()
    {
        var before = await CreateAsync("wf-move-zone", "wfm", "wfm-b");

        var done = await _grains.WaitAsync(await Move("zone").StartMoveAsync(new MoveInstanceCommand(before.Id, before.ServerId, Live: false)));
        var after = await _grains.InstanceAsync(before.Id);

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal(("wfm-a", "wfm", InstanceState.Running), (after.Zone, after.Region, after.State));
        Assert.Empty(await _grains.HeldOnAsync(before.ServerId));
    }

    [Fact]
    public async Task A_move_with_nowhere_to_go_is_refused_and_the_instance_stays_where_it_runs()
    {
        var before = await CreateAsync("wf-move-nowhere", "wfn", "wfn-a");

        var refusal = await Provision.FailsAsync(() => Move("nowhere").StartMoveAsync(new MoveInstanceCommand(before.Id, before.ServerId, Live: true)),
            ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity);
        var refused = await Move("nowhere").GetAsync();
        var repeated = await Provision.FailsAsync(() => Move("nowhere").StartMoveAsync(new MoveInstanceCommand(before.Id, before.ServerId, Live: true)),
            ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity);
        // The claim was given back: another move is refused for room again, not because the instance is busy.
        await Provision.FailsAsync(() => Move("nowhere-2").StartMoveAsync(new MoveInstanceCommand(before.Id, before.ServerId, Live: true)),
            ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity);
        var after = await _grains.InstanceAsync(before.Id);

        Assert.Equal((OperationState.Failed, true), (refused!.State, refused.Rejected));
        Assert.Equal(refusal.Metadata["operation_id"], repeated.Metadata["operation_id"]);
        Assert.Equal((InstanceState.Running, before.ServerId), (after.State, after.ServerId));
        Assert.Equal([before.Id], await _grains.HeldOnAsync(before.ServerId));
    }

    [Fact]
    public async Task An_agent_that_fails_for_good_on_the_new_server_leaves_the_instance_where_it_was()
    {
        var before = await CreateAsync("wf-move-agent", "wfo", "wfo-a");
        var other = TestTopology.Server("wfo-a", TestTopology.Server("wfo-a", 0) == before.ServerId ? 1 : 0);

        var done = await fixture.WithBrokenAgentAsync(other, () => Move("agent").StartMoveAsync(new MoveInstanceCommand(before.Id, before.ServerId, Live: true)));
        var after = await _grains.InstanceAsync(before.Id);

        Assert.Equal((OperationState.Failed, false, ErrorReasons.Unavailable, other), (done.State, done.Rejected, done.Error!.Reason, done.Error.Metadata["server_id"]));
        Assert.Equal((InstanceState.Running, before.ServerId), (after.State, after.ServerId));
        Assert.Empty(await _grains.HeldOnAsync(other));
        Assert.Equal([before.Id], await _grains.HeldOnAsync(before.ServerId));
    }

    [Fact]
    public async Task Moving_an_unknown_instance_is_not_found_and_starts_nothing()
    {
        await Provision.FailsAsync(() => Move("unknown").StartMoveAsync(new MoveInstanceCommand("i-wf-nothing", "wfm-a-r001-s01", Live: true)),
            ErrorStatus.NotFound, ErrorReasons.InstanceNotFound);

        Assert.Null(await Move("unknown").GetAsync());
    }
}
