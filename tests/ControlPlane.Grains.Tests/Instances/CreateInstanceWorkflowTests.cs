using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Instances;

/// <summary>The phases of CreateInstanceWorkflow, in region "wfi" (zones "wfi-a", "wfi-b" and "wfi-c").</summary>
[Collection(ClusterCollection.Name)]
public sealed class CreateInstanceWorkflowTests(ClusterFixture fixture)
{
    private static readonly ResourceAmount S4 = new(4, 4096, 0);

    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Admission_holds_the_quota_and_a_server_then_the_instance_runs_and_is_metered()
    {
        await _grains.TenantAsync("wf-create", Provision.Quota(64), "wfi");

        var admitted = await _grains.CreateAsync("wf-create", "web-1", "s4", "wfi", "wfi-a");
        var held = await _grains.TenantOfAsync("wf-create");
        var done = await _grains.WaitAsync(admitted);
        var instance = await _grains.InstanceAsync(done.InstanceId);
        await Task.Delay(1_100); // usage counts whole seconds

        Assert.Equal((OperationKind.CreateInstance, OperationState.Running), (admitted.Kind, admitted.State));
        Assert.Equal((S4, 1), (held.Usage, held.InstanceCount));
        Assert.Equal((OperationState.Succeeded, false, null), (done.State, done.Rejected, done.Error));
        Assert.Equal((InstanceState.Running, "s4", S4, "wfi-a", admitted.Id), (instance.State, instance.Size, instance.Resources, instance.Zone, instance.OperationId));
        Assert.Contains(instance.Id, await _grains.HeldOnAsync(instance.ServerId));
        Assert.Contains(await _grains.InvoiceLinesAsync("wf-create"), l => l.OfferId == "s4");
    }

    [Fact]
    public async Task Until_it_runs_an_acknowledged_instance_is_held_by_its_operation_readable_and_kept_on_its_server()
    {
        var server = TestTopology.Server("wfi-c");
        await _grains.TenantAsync("wf-create-held", Provision.Quota(64), "wfi");
        OperationInfo admitted;
        using (fixture.Agents.Hold(server))
        {
            admitted = await _grains.CreateAsync("wf-create-held", "web-1", "s4", "wfi", "wfi-c");
            var held = await _grains.InstanceAsync(admitted.InstanceId);
            // The server's reconciliation sees an allocation whose instance has no record of its own yet: it keeps it.
            await _grains.GetGrain<IServerGrain>(server).ApplyProbeAsync(new AgentProbe(true, [], "", DateTimeOffset.UtcNow));

            Assert.Equal((InstanceState.Provisioning, server, admitted.Id), (held.State, held.ServerId, held.OperationId));
            Assert.Equal((true, false), (held.Condition(InstanceConditions.Placed)!.Status, held.Condition(InstanceConditions.Running)!.Status));
            Assert.Contains(admitted.InstanceId, await _grains.HeldOnAsync(server));
            Assert.Equal(new[] { admitted.InstanceId }, (await _grains.GetGrain<ITenantGrain>("wf-create-held").ListInstanceIdsAsync(10, null)).Items);
            // A watcher reads the operation while its step waits on the agent, not after.
            var watched = await _grains.GetGrain<IOperationGrain>(admitted.Id).GetAsync().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(OperationState.Running, watched!.State);
        }
        var done = await _grains.WaitAsync(admitted);
        var running = await _grains.InstanceAsync(done.InstanceId);

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal((InstanceState.Running, server, true), (running.State, running.ServerId, running.Condition(InstanceConditions.Running)!.Status));
        Assert.Contains(running.Id, await _grains.HeldOnAsync(server));
        // The server is the broken-agent test's too.
        Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(await _grains.DeleteAsync(running.Id))).State);
    }

    [Fact]
    public async Task The_validated_size_decides_the_resources_and_the_gpu_model_of_the_server()
    {
        await _grains.TenantAsync("wf-create-gpu", Provision.Quota(64), "wfi");

        var done = await _grains.WaitAsync(await _grains.CreateAsync("wf-create-gpu", "render", "g1", "wfi", "wfi-a"));
        var instance = await _grains.InstanceAsync(done.InstanceId);

        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.Equal(new ResourceAmount(4, 8192, 1), instance.Resources);
        Assert.Equal(TestTopology.Server("wfi-a", 2), instance.ServerId);
    }

    [Fact]
    public async Task A_group_without_a_scope_keeps_members_on_distinct_servers_and_a_scope_without_a_group_is_dropped()
    {
        await _grains.TenantAsync("wf-create-aa", Provision.Quota(64), "wfi");

        var grouped = await CreateAsync("wf-create-aa", "api-1", "api", AntiAffinityScope.Unspecified);
        var ungrouped = await CreateAsync("wf-create-aa", "solo", "", AntiAffinityScope.Zone);

        Assert.Equal(("api", AntiAffinityScope.Server), (grouped.AntiAffinityGroup, grouped.AntiAffinityScope));
        Assert.Equal(("", AntiAffinityScope.Unspecified), (ungrouped.AntiAffinityGroup, ungrouped.AntiAffinityScope));
    }

    [Fact]
    public async Task A_refusal_after_the_quota_was_held_gives_everything_back()
    {
        // wfi-b: one server of 16 cores.
        await _grains.TenantAsync("wf-create-full", Provision.Quota(64), "wfi");
        var first = await _grains.WaitAsync(await _grains.CreateAsync("wf-create-full", "big", "s16", "wfi", "wfi-b"));

        var refusal = await Provision.FailsAsync(() => _grains.CreateAsync("wf-create-full", "more", "s4", "wfi", "wfi-b"),
            ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity);
        var refused = await _grains.GetGrain<IOperationGrain>(refusal.Metadata["operation_id"]).GetAsync();
        var tenant = await _grains.TenantOfAsync("wf-create-full");

        Assert.Equal((OperationState.Failed, true, ErrorReasons.NoCapacity), (refused!.State, refused.Rejected, refused.Error!.Reason));
        Assert.Null(await _grains.GetGrain<IInstanceGrain>(refused.InstanceId).GetAsync());
        Assert.Equal((16L, 1), (tenant.Usage.Cores, tenant.InstanceCount));
        Assert.Equal([first.InstanceId], await _grains.HeldOnAsync(TestTopology.Server("wfi-b")));
    }

    [Fact]
    public async Task An_agent_that_fails_for_good_leaves_nothing_behind()
    {
        var server = TestTopology.Server("wfi-c");
        await _grains.TenantAsync("wf-create-agent", Provision.Quota(64), "wfi");

        var done = await fixture.WithBrokenAgentAsync(server, () => _grains.CreateAsync("wf-create-agent", "web-1", "s4", "wfi", "wfi-c"));

        Assert.Equal((OperationState.Failed, false, ErrorReasons.Unavailable), (done.State, done.Rejected, done.Error!.Reason));
        Assert.Equal(server, done.Error.Metadata["server_id"]);
        Assert.Null(await _grains.GetGrain<IInstanceGrain>(done.InstanceId).GetAsync());
        Assert.Empty(await _grains.HeldOnAsync(server));
        Assert.Equal((ResourceAmount.Zero, 0), ((await _grains.TenantOfAsync("wf-create-agent")).Usage, (await _grains.TenantOfAsync("wf-create-agent")).InstanceCount));
    }

    private async Task<InstanceInfo> CreateAsync(string tenant, string name, string group, AntiAffinityScope scope)
    {
        var rid = Guid.NewGuid().ToString();
        var operation = await _grains.TenantOperation(tenant, rid).StartCreateAsync(
            new CreateInstanceCommand(rid, tenant, name, "s4", "wfi", "wfi-a") { AntiAffinityGroup = group, AntiAffinityScope = scope });
        return await _grains.InstanceAsync((await _grains.WaitAsync(operation)).InstanceId);
    }
}
