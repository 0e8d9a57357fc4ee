using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Tests.Instances;

/// <summary>The phases of DeleteInstanceWorkflow, in region "wfi" (zones "wfi-d" and "wfi-e").</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeleteInstanceWorkflowTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private async Task<InstanceInfo> CreateAsync(string tenant, string zone) =>
        await _grains.InstanceAsync((await _grains.WaitAsync(await _grains.CreateAsync(tenant, "web-1", "s4", "wfi", zone))).InstanceId);

    [Fact]
    public async Task A_delete_releases_the_server_the_record_and_the_quota_and_ends_the_metering()
    {
        await _grains.TenantAsync("wf-delete", Provision.Quota(64), "wfi");
        var instance = await CreateAsync("wf-delete", "wfi-d");
        await Task.Delay(1_100); // usage counts whole seconds

        var done = await _grains.WaitAsync(await _grains.DeleteAsync(instance.Id));
        var metered = await _grains.InvoiceLinesAsync("wf-delete");
        await Task.Delay(1_100); // usage counts whole seconds
        var later = await _grains.InvoiceLinesAsync("wf-delete");

        Assert.Equal((OperationKind.DeleteInstance, OperationState.Succeeded), (done.Kind, done.State));
        Assert.Null(await _grains.GetGrain<IInstanceGrain>(instance.Id).GetAsync());
        Assert.DoesNotContain(instance.Id, await _grains.HeldOnAsync(instance.ServerId));
        Assert.Equal((ResourceAmount.Zero, 0), ((await _grains.TenantOfAsync("wf-delete")).Usage, (await _grains.TenantOfAsync("wf-delete")).InstanceCount));
        Assert.Contains(metered, l => l.OfferId == "s4");
        Assert.Equal(metered, later);
    }

    [Fact]
    public async Task An_unknown_instance_is_refused_and_a_repeat_gets_the_same_refusal()
    {
        var refusal = await Provision.FailsAsync(() => _grains.DeleteAsync("i-wf-nothing", requestId: "wf-delete-nothing"),
            ErrorStatus.NotFound, ErrorReasons.InstanceNotFound);
        var refused = await _grains.GetGrain<IOperationGrain>(refusal.Metadata["operation_id"]).GetAsync();
        await Provision.FailsAsync(() => _grains.DeleteAsync("i-wf-nothing", requestId: "wf-delete-nothing"), ErrorStatus.NotFound, ErrorReasons.InstanceNotFound);

        Assert.Equal((OperationKind.DeleteInstance, OperationState.Failed, true, ""), (refused!.Kind, refused.State, refused.Rejected, refused.TenantId));
    }

    [Fact]
    public async Task An_agent_that_fails_for_good_gives_the_instance_back_as_it_was()
    {
        await _grains.TenantAsync("wf-delete-agent", Provision.Quota(64), "wfi");
        var instance = await CreateAsync("wf-delete-agent", "wfi-e");

        var failed = await fixture.WithBrokenAgentAsync(instance.ServerId, () => _grains.DeleteAsync(instance.Id));
        var kept = await _grains.InstanceAsync(instance.Id);
        var held = await _grains.HeldOnAsync(instance.ServerId);
        var tenant = await _grains.TenantOfAsync("wf-delete-agent");
        var again = await _grains.WaitAsync(await _grains.DeleteAsync(instance.Id));

        Assert.Equal((OperationState.Failed, false, ErrorReasons.Unavailable), (failed.State, failed.Rejected, failed.Error!.Reason));
        Assert.Equal((InstanceState.Running, instance.ServerId), (kept.State, kept.ServerId));
        Assert.Contains(instance.Id, held);
        Assert.Equal((4L, 1), (tenant.Usage.Cores, tenant.InstanceCount));
        Assert.Equal(OperationState.Succeeded, again.State);
        Assert.Null(await _grains.GetGrain<IInstanceGrain>(instance.Id).GetAsync());
    }
}
