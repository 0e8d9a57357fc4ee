using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Services;

/// <summary>
/// The phases of OrderServiceWorkflow, in regions "wfs" (3 servers of 16 cores) and "wfr" (1 server),
/// with the test catalogue's offers: "pg" runs on 2 × s8, "civil" on 1 × s4, "wide" needs 5 servers.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OrderServiceWorkflowTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task An_order_runs_the_service_on_its_own_servers_and_meters_the_service_not_its_instances()
    {
        await _grains.TenantAsync("wf-order", Provision.Quota(64), "wfs");

        var done = await _grains.WaitAsync(await _grains.OrderServiceAsync("wf-order", "orders-db", "pg", "wfs"));
        var service = (await _grains.ServiceAsync(done.ServiceId))!;
        var instances = await Task.WhenAll(service.InstanceIds.Select(_grains.InstanceAsync));
        var tenant = await _grains.TenantOfAsync("wf-order");
        await Task.Delay(1_100); // usage counts whole seconds
        var lines = await _grains.InvoiceLinesAsync("wf-order");

        Assert.Equal((OperationKind.OrderService, OperationState.Succeeded), (done.Kind, done.State));
        Assert.Equal(service.InstanceIds.ToArray(), done.InstanceIds.ToArray());
        Assert.Equal((ServiceState.Active, "pg", "wfs"), (service.State, service.OfferId, service.Region));
        Assert.All(instances, i => Assert.Equal((InstanceState.Running, "s8", service.Id, service.Id, AntiAffinityScope.Server),
            (i.State, i.Size, i.ServiceId, i.AntiAffinityGroup, i.AntiAffinityScope)));
        Assert.Equal(2, instances.Select(i => i.ServerId).Distinct().Count());
        foreach (var instance in instances) Assert.Contains(instance.Id, await _grains.HeldOnAsync(instance.ServerId));
        Assert.Equal((16L, 2), (tenant.Usage.Cores, tenant.InstanceCount));
        Assert.Equal(service.Id, Assert.Single((await _grains.GetGrain<ITenantGrain>("wf-order").ListServiceIdsAsync(0, null)).Items));
        Assert.Equal(["pg"], lines.Select(l => l.OfferId));
    }

    [Fact]
    public async Task A_refused_order_gives_back_its_instances_its_record_and_its_name()
    {
        await _grains.TenantAsync("wf-order-refused", Provision.Quota(200), "wfs");

        var refusal = await Provision.FailsAsync(() => _grains.OrderServiceAsync("wf-order-refused", "cluster", "wide", "wfs"),
            ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity);
        var refused = await _grains.GetGrain<IOperationGrain>(refusal.Metadata["operation_id"]).GetAsync();
        var tenant = await _grains.TenantOfAsync("wf-order-refused");
        var sameName = await _grains.WaitAsync(await _grains.OrderServiceAsync("wf-order-refused", "cluster", "civil", "wfs"));

        Assert.Equal((OperationState.Failed, true), (refused!.State, refused.Rejected));
        Assert.Null(await _grains.ServiceAsync(refused.ServiceId));
        Assert.All(await Task.WhenAll(refused.InstanceIds.Select(id => _grains.GetGrain<IInstanceGrain>(id).GetAsync())), Assert.Null);
        Assert.Equal((ResourceAmount.Zero, 0), (tenant.Usage, tenant.InstanceCount));
        Assert.Equal(OperationState.Succeeded, sameName.State);
    }

    [Fact]
    public async Task An_agent_that_fails_for_good_gives_the_whole_order_back()
    {
        await _grains.TenantAsync("wf-order-agent", Provision.Quota(64), "wfr");
        var server = TestTopology.Server("wfr-a");

        var done = await fixture.WithBrokenAgentAsync(server, () => _grains.OrderServiceAsync("wf-order-agent", "registry", "civil", "wfr"));
        var tenant = await _grains.TenantOfAsync("wf-order-agent");

        Assert.Equal((OperationState.Failed, false, ErrorReasons.Unavailable, server), (done.State, done.Rejected, done.Error!.Reason, done.Error.Metadata["server_id"]));
        Assert.Null(await _grains.ServiceAsync(done.ServiceId));
        Assert.Null(await _grains.GetGrain<IInstanceGrain>(done.InstanceId).GetAsync());
        Assert.Empty(await _grains.HeldOnAsync(server));
        Assert.Equal((ResourceAmount.Zero, 0), (tenant.Usage, tenant.InstanceCount));
        Assert.Empty((await _grains.GetGrain<ITenantGrain>("wf-order-agent").ListServiceIdsAsync(0, null)).Items);
        Assert.Empty(await _grains.InvoiceLinesAsync("wf-order-agent"));
    }
}
