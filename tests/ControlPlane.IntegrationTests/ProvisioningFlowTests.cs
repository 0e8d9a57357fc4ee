using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

[Collection(HostCollection.Name)]
public sealed class ProvisioningFlowTests(HostFixture host)
{
    [Fact]
    public async Task A_tenant_creates_an_instance_that_runs_on_a_server_then_deletes_it()
    {
        await host.CreateTenantAsync("flow-acme", Api.Res(64, 256), "france-centre");

        var operation = await host.CreateInstanceAsync("flow-acme", "web-1", "Standard_D4s_v5");
        Assert.Equal(OperationKind.CreateInstance, operation.Kind);
        Assert.Equal("flow-acme", operation.TenantId);
        Assert.False(string.IsNullOrEmpty(operation.InstanceId));
        Assert.Matches("^[0-9a-f]{32}$", operation.TraceId);
        var done = await host.WaitAsync(operation);
        Assert.Equal(OperationState.Succeeded, done.State);
        Assert.NotNull(done.EndTime);

        var instance = await host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = operation.InstanceId });
        Assert.Equal(InstanceState.Running, instance.State);
        Assert.StartsWith("fr-centre-", instance.Zone);
        Assert.Equal(new Resources { Cores = 4, MemoryMib = 16 * 1024 }, instance.Resources);
        var server = await host.Topology.GetServerAsync(new GetServerRequest { Id = instance.ServerId });
        Assert.Equal(instance.Zone, server.Zone);
        Assert.Contains(server.Allocations, a => a.InstanceId == instance.Id && a.TenantId == "flow-acme");
        Assert.Equal(server.Capacity.Cores - server.Allocated.Cores, server.Free.Cores);
        var tenant = await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "flow-acme" });
        Assert.Equal((4L, 16L * 1024, 1), (tenant.Usage.Cores, tenant.Usage.MemoryMib, tenant.InstanceCount));
        var listed = await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "flow-acme" });
        Assert.Equal(instance.Id, Assert.Single(listed.Instances).Id);

        var deleted = await host.WaitAsync(await host.Provisioning.DeleteInstanceAsync(
            new DeleteInstanceRequest { RequestId = Guid.NewGuid().ToString(), InstanceId = instance.Id }));

        Assert.Equal((OperationKind.DeleteInstance, OperationState.Succeeded), (deleted.Kind, deleted.State));
        await Api.FailsAsync(() => host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = instance.Id }).ResponseAsync,
            StatusCode.NotFound, "INSTANCE_NOT_FOUND");
        var after = await host.Topology.GetServerAsync(new GetServerRequest { Id = instance.ServerId });
        Assert.DoesNotContain(after.Allocations, a => a.InstanceId == instance.Id);
        Assert.Equal(server.Allocated.Cores - 4, after.Allocated.Cores);
        tenant = await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "flow-acme" });
        Assert.Equal((0L, 0), (tenant.Usage.Cores, tenant.InstanceCount));
    }

    [Fact]
    public async Task Repeating_a_request_id_returns_the_same_operation_and_never_a_second_instance()
    {
        await host.CreateTenantAsync("flow-retry", Api.Res(64, 256), "france-centre");

        var first = await host.CreateInstanceAsync("flow-retry", "db-1", "Standard_E4s_v5", requestId: "flow-retry-req");
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            host.CreateInstanceAsync("flow-retry", "db-1", "Standard_E4s_v5", requestId: "flow-retry-req")));

        Assert.All(again, o => Assert.Equal((first.Id, first.InstanceId), (o.Id, o.InstanceId)));
        await host.WaitAsync(first);
        var listed = await host.Provisioning.ListInstancesAsync(new ListInstancesRequest { TenantId = "flow-retry" });
        Assert.Single(listed.Instances);
        var (info, _) = await Api.FailsAsync(() => host.CreateInstanceAsync("flow-retry", "db-2", "Standard_E4s_v5", requestId: "flow-retry-req"),
            StatusCode.AlreadyExists, "IDEMPOTENCY_KEY_REUSED");
        Assert.Equal(first.Id, info.Metadata["operation_id"]);
    }

    [Fact]
    public async Task Quota_exhaustion_is_resource_exhausted_and_leaves_usage_unchanged()
    {
        await host.CreateTenantAsync("flow-quota", Api.Res(10, 64), "france-centre");
        await host.WaitAsync(await host.CreateInstanceAsync("flow-quota", "a", "Standard_D8s_v5"));

        var (info, _) = await Api.FailsAsync(() => host.CreateInstanceAsync("flow-quota", "b", "Standard_D4s_v5"), StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");

        Assert.Equal("cores", info.Metadata["dimension"]);
        var failed = await host.Provisioning.GetOperationAsync(new GetOperationRequest { Id = info.Metadata["operation_id"] });
        Assert.Equal(OperationState.Failed, failed.State);
        Assert.Equal((int)StatusCode.ResourceExhausted, failed.Error.Code);
        var tenant = await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "flow-quota" });
        Assert.Equal((8L, 1), (tenant.Usage.Cores, tenant.InstanceCount));
    }

    [Fact]
    public async Task A_requested_zone_is_honoured()
    {
        await host.CreateTenantAsync("flow-zone", Api.Res(64, 256), "france-centre");

        var done = await host.WaitAsync(await host.CreateInstanceAsync("flow-zone", "z3", "Standard_D2s_v5", zone: "fr-centre-3"));

        var instance = await host.Provisioning.GetInstanceAsync(new GetInstanceRequest { Id = done.InstanceId });
        Assert.Equal("fr-centre-3", instance.Zone);
        Assert.StartsWith("fr-centre-3-", instance.ServerId);
    }

    [Fact]
    public async Task Lists_page_through_every_item_once()
    {
        var ids = new List<string>();
        var token = "";
        do
        {
            var page = await host.Topology.ListServersAsync(new ListServersRequest { Zone = "fr-centre-2", PageSize = 1000, PageToken = token });
            Assert.Equal(2500, page.TotalSize);
            ids.AddRange(page.Servers.Select(s => s.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(2500, ids.Count);
        Assert.Equal(2500, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_topology_shows_both_regions_four_zones_and_ten_thousand_servers()
    {
        var regions = await host.Topology.ListRegionsAsync(new ListRegionsRequest());
        var zones = await host.Topology.ListZonesAsync(new ListZonesRequest());

        var centre = regions.Regions.Single(r => r.Id == "france-centre");
        Assert.Equal((RegionRole.Production, "idf", 3), (centre.Role, centre.OpsCentre, centre.Zones.Count));
        var sud = regions.Regions.Single(r => r.Id == "france-sud");
        Assert.Equal((RegionRole.Production, "rennes"), (sud.Role, sud.OpsCentre));
        Assert.Equal(10_000, regions.Regions.Sum(r => r.ServerCount));
        Assert.Equal(4, zones.Zones.Count);
        Assert.All(zones.Zones, z => Assert.Equal("idf", z.ServedByOpsCentre));
        Assert.All(zones.Zones, z => Assert.True(z.Total.Cores >= z.Free.Cores && z.Free.Cores > 0));
        var sizes = await host.Topology.ListSizesAsync(new ListSizesRequest());
        Assert.Contains(sizes.Sizes, s => s.Name == "Standard_D2s_v5" && s.Resources.Cores == 2 && s.Resources.MemoryMib == 8 * 1024);
        Assert.Contains(sizes.Sizes, s => s.Resources.Gpus > 0 && s.GpuModel.Length > 0);
    }
}
