using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Services;

/// <summary>The phases of CancelServiceWorkflow, in regions "wft" (2 servers of 16 cores) and "wfv" (1 server).</summary>
[Collection(ClusterCollection.Name)]
public sealed class CancelServiceWorkflowTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private async Task<ServiceInfo> OrderAsync(string tenant, string name, string offer, string region) =>
        (await _grains.ServiceAsync((await _grains.WaitAsync(await _grains.OrderServiceAsync(tenant, name, offer, region))).ServiceId))!;

    [Fact]
    public async Task A_cancellation_ends_the_metering_then_deletes_the_instances_and_frees_the_name()
    {
        await _grains.TenantAsync("wf-cancel", Provision.Quota(64), "wft");
        var service = await OrderAsync("wf-cancel", "orders-db", "pg", "wft");
        var servers = (await Task.WhenAll(service.InstanceIds.Select(_grains.InstanceAsync))).Select(i => i.ServerId).ToList();

        var done = await _grains.WaitAsync(await _grains.CancelServiceAsync(service.Id));
        var metered = await _grains.InvoiceLinesAsync("wf-cancel");
        await Task.Delay(1_100); // usage counts whole seconds
        var later = await _grains.InvoiceLinesAsync("wf-cancel");
        var tenant = await _grains.TenantOfAsync("wf-cancel");

        Assert.Equal((OperationKind.CancelService, OperationState.Succeeded, service.Id), (done.Kind, done.State, done.ServiceId));
        Assert.Equal(ServiceState.Cancelled, (await _grains.ServiceAsync(service.Id))!.State);
        Assert.All(await Task.WhenAll(service.InstanceIds.Select(id => _grains.GetGrain<IInstanceGrain>(id).GetAsync())), Assert.Null);
        foreach (var server in servers) Assert.Empty(await _grains.HeldOnAsync(server));
        Assert.Equal((ResourceAmount.Zero, 0), (tenant.Usage, tenant.InstanceCount));
        Assert.Empty((await _grains.GetGrain<ITenantGrain>("wf-cancel").ListServiceIdsAsync(0, null)).Items);
        Assert.Equal(metered, later);
        Assert.Equal(ServiceState.Active, (await OrderAsync("wf-cancel", "orders-db", "pg", "wft")).State);
    }

    [Fact]
    public async Task Cancelling_an_unknown_service_is_refused_and_the_refusal_is_kept()
    {
        var refusal = await Provision.FailsAsync(() => _grains.CancelServiceAsync("svc-wf-nothing"), ErrorStatus.NotFound, ErrorReasons.ServiceNotFound);
        var refused = await _grains.GetGrain<IOperationGrain>(refusal.Metadata["operation_id"]).GetAsync();

        Assert.Equal((OperationKind.CancelService, OperationState.Failed, true, "svc-wf-nothing"), (refused!.Kind, refused.State, refused.Rejected, refused.ServiceId));
    }

    [Fact]
    public async Task An_agent_that_fails_for_good_leaves_the_service_cancelling_unmetered_for_another_cancellation()
    {
        await _grains.TenantAsync("wf-cancel-agent", Provision.Quota(64), "wfv");
        var service = await OrderAsync("wf-cancel-agent", "registry", "civil", "wfv");
        var instance = await _grains.InstanceAsync(service.InstanceIds.Single());

        var failed = await fixture.WithBrokenAgentAsync(instance.ServerId, () => _grains.CancelServiceAsync(service.Id));
        var cancelling = (await _grains.ServiceAsync(service.Id))!;
        var kept = await _grains.InstanceAsync(instance.Id);
        var metered = await _grains.InvoiceLinesAsync("wf-cancel-agent");
        await Task.Delay(1_100); // usage counts whole seconds
        var later = await _grains.InvoiceLinesAsync("wf-cancel-agent");
        var again = await _grains.WaitAsync(await _grains.CancelServiceAsync(service.Id));

        Assert.Equal((OperationState.Failed, false, ErrorReasons.Unavailable, service.Id), (failed.State, failed.Rejected, failed.Error!.Reason, failed.Error.Metadata["service_id"]));
        Assert.Equal(ServiceState.Cancelling, cancelling.State);
        Assert.Equal((InstanceState.Running, instance.ServerId), (kept.State, kept.ServerId));
        Assert.Equal(metered, later);
        Assert.Equal(OperationState.Succeeded, again.State);
        Assert.Equal(ServiceState.Cancelled, (await _grains.ServiceAsync(service.Id))!.State);
        Assert.Null(await _grains.GetGrain<IInstanceGrain>(instance.Id).GetAsync());
        Assert.Equal(0, (await _grains.TenantOfAsync("wf-cancel-agent")).InstanceCount);
    }
}
