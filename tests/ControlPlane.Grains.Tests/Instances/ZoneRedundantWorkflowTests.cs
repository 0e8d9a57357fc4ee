using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Scheduling;

namespace ControlPlane.Grains.Tests.Instances;

/// <summary>The phases of ZoneRedundantWorkflow, in regions "wfz" (3 zones), "wfx" and "wfy" (2 zones), each zone one server of 16 cores.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ZoneRedundantWorkflowTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task A_set_runs_one_member_in_each_zone_each_with_its_quota_its_server_and_its_metering()
    {
        await _grains.TenantAsync("wf-zr", Provision.Quota(64), "wfz");

        var done = await _grains.WaitAsync(await _grains.CreateZoneRedundantAsync("wf-zr", "db", "s8", "wfz", 3));
        var members = await Task.WhenAll(done.InstanceIds.Select(_grains.InstanceAsync));
        var tenant = await _grains.TenantOfAsync("wf-zr");
        await Task.Delay(1_100); // usage counts whole seconds

        Assert.Equal((OperationKind.CreateZoneRedundantInstances, OperationState.Succeeded, members[0].Id), (done.Kind, done.State, done.InstanceId));
        Assert.Equal(["wfz-a", "wfz-b", "wfz-c"], members.Select(m => m.Zone));
        Assert.Equal(["db-1", "db-2", "db-3"], members.Select(m => m.Name));
        Assert.All(members, m => Assert.Equal((InstanceState.Running, "db", AntiAffinityScope.Zone), (m.State, m.AntiAffinityGroup, m.AntiAffinityScope)));
        foreach (var member in members) Assert.Contains(member.Id, await _grains.HeldOnAsync(member.ServerId));
        Assert.Equal((24L, 3), (tenant.Usage.Cores, tenant.InstanceCount));
        Assert.Contains(await _grains.InvoiceLinesAsync("wf-zr"), l => l.OfferId == "s8");
    }

    [Fact]
    public async Task A_set_refused_part_way_gives_back_the_members_already_placed()
    {
        await _grains.TenantAsync("wf-zr-fill", Provision.Quota(64), "wfx");
        await _grains.TenantAsync("wf-zr-refused", Provision.Quota(64), "wfx");
        await _grains.WaitAsync(await _grains.CreateAsync("wf-zr-fill", "big", "s16", "wfx", "wfx-b"));

        var refusal = await Provision.FailsAsync(() => _grains.CreateZoneRedundantAsync("wf-zr-refused", "db", "s8", "wfx", 2),
            ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity);
        var refused = await _grains.GetGrain<IOperationGrain>(refusal.Metadata["operation_id"]).GetAsync();
        var tenant = await _grains.TenantOfAsync("wf-zr-refused");

        Assert.Equal(("1", "wfx"), (refusal.Metadata["placed_before_refusal"], refusal.Metadata["region"]));
        Assert.Equal((OperationState.Failed, true), (refused!.State, refused.Rejected));
        Assert.All(await Task.WhenAll(refused.InstanceIds.Select(id => _grains.GetGrain<IInstanceGrain>(id).GetAsync())), Assert.Null);
        Assert.Empty(await _grains.HeldOnAsync(TestTopology.Server("wfx-a")));
        Assert.Equal((ResourceAmount.Zero, 0), (tenant.Usage, tenant.InstanceCount));
    }

    [Fact]
    public async Task An_agent_that_fails_for_good_on_one_member_rolls_the_whole_set_back()
    {
        await _grains.TenantAsync("wf-zr-agent", Provision.Quota(64), "wfy");
        var broken = TestTopology.Server("wfy-b");

        var done = await fixture.WithBrokenAgentAsync(broken, () => _grains.CreateZoneRedundantAsync("wf-zr-agent", "db", "s4", "wfy", 2));
        var tenant = await _grains.TenantOfAsync("wf-zr-agent");

        Assert.Equal((OperationState.Failed, false, ErrorReasons.Unavailable, broken), (done.State, done.Rejected, done.Error!.Reason, done.Error.Metadata["server_id"]));
        Assert.Contains("the whole set was rolled back", done.Error.Message, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(done.InstanceIds.Select(id => _grains.GetGrain<IInstanceGrain>(id).GetAsync())), Assert.Null);
        Assert.Empty(await _grains.HeldOnAsync(TestTopology.Server("wfy-a")));
        Assert.Empty(await _grains.HeldOnAsync(broken));
        Assert.Equal((ResourceAmount.Zero, 0), (tenant.Usage, tenant.InstanceCount));
    }
}
