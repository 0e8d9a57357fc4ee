using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Instances;

[Collection(ClusterCollection.Name)]
public sealed class ProvisioningTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Create_reaches_succeeded_and_the_server_and_tenant_account_for_it()
    {
        await _grains.TenantAsync("prov-create", Provision.Quota(64), "dr");

        var operation = await _grains.WaitAsync(await _grains.CreateAsync("prov-create", "web-1", "s4", "dr"));

        Assert.Equal(OperationState.Succeeded, operation.State);
        var instance = await _grains.InstanceAsync(operation.InstanceId);
        Assert.Equal(InstanceState.Running, instance.State);
        Assert.Equal("dr-a", instance.Zone);
        var server = await _grains.GetGrain<IServerGrain>(instance.ServerId).GetAsync();
        Assert.Contains(server.Allocations, a => a.InstanceId == instance.Id && a.Resources == new ResourceAmount(4, 4096, 0));
        var tenant = await _grains.GetGrain<ITenantGrain>("prov-create").GetAsync();
        Assert.Equal(new ResourceAmount(4, 4096, 0), tenant.Usage);
        Assert.Equal(1, tenant.InstanceCount);
    }

    [Fact]
    public async Task Repeating_a_request_returns_the_same_operation_and_one_instance()
    {
        await _grains.TenantAsync("prov-repeat", Provision.Quota(64), "dr");

        var first = await _grains.CreateAsync("prov-repeat", "web-1", "s4", "dr", requestId: "prov-repeat-1");
        var second = await _grains.CreateAsync("prov-repeat", "web-1", "s4", "dr", requestId: "prov-repeat-1");
        await _grains.WaitAsync(first);
        var third = await _grains.CreateAsync("prov-repeat", "web-1", "s4", "dr", requestId: "prov-repeat-1");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Id, third.Id);
        Assert.Equal(first.InstanceId, third.InstanceId);
        Assert.Equal(OperationState.Succeeded, third.State);
        var page = await _grains.GetGrain<ITenantGrain>("prov-repeat").ListInstanceIdsAsync(0, null);
        Assert.Single(page.Items);
    }

    [Fact]
    public async Task Concurrent_copies_of_one_request_start_one_operation()
    {
        await _grains.TenantAsync("prov-race", Provision.Quota(64), "dr");

        var operations = await Task.WhenAll(Enumerable.Range(0, 25)
            .Select(_ => _grains.CreateAsync("prov-race", "web-1", "s4", "dr", requestId: "prov-race-1")));

        Assert.Single(operations.Select(o => o.Id).Distinct());
        await _grains.WaitAsync(operations[0]);
        Assert.Equal(1, (await _grains.GetGrain<ITenantGrain>("prov-race").GetAsync()).InstanceCount);
    }

    [Fact]
    public async Task Reusing_a_request_id_with_another_body_is_refused()
    {
        await _grains.TenantAsync("prov-reuse", Provision.Quota(64), "dr");
        var first = await _grains.WaitAsync(await _grains.CreateAsync("prov-reuse", "web-1", "s4", "dr", requestId: "prov-reuse-1"));

        var error = await Provision.FailsAsync(() => _grains.CreateAsync("prov-reuse", "web-2", "s4", "dr", requestId: "prov-reuse-1"),
            ErrorStatus.AlreadyExists, ErrorReasons.IdempotencyKeyReused);
        Assert.Equal(("prov-reuse-1", first.Id), (error.Metadata["request_id"], error.Metadata["operation_id"]));
        // A request id is a key within what the request acts on: a deletion's is the instance's, not the tenant's creates'.
        var deletion = await Provision.FailsAsync(() => _grains.DeleteAsync("i-whatever", requestId: "prov-reuse-1"),
            ErrorStatus.NotFound, ErrorReasons.InstanceNotFound);
        Assert.NotEqual(first.Id, deletion.Metadata["operation_id"]);
        Assert.Equal(1, (await _grains.GetGrain<ITenantGrain>("prov-reuse").GetAsync()).InstanceCount);
    }

    [Fact]
    public async Task A_request_is_remembered_from_storage_once_its_operation_left_memory()
    {
        await _grains.TenantAsync("prov-stored", Provision.Quota(64), "dr");
        var first = await _grains.WaitAsync(await _grains.CreateAsync("prov-stored", "web-1", "s4", "dr", requestId: "prov-stored-1"));
        Assert.Equal(Requests.OperationId("tenant:prov-stored", "prov-stored-1"), first.Id);

        await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var again = await _grains.CreateAsync("prov-stored", "web-1", "s4", "dr", requestId: "prov-stored-1");
        Assert.Equal((first.Id, first.InstanceId, OperationState.Succeeded), (again.Id, again.InstanceId, again.State));
        await Provision.FailsAsync(() => _grains.CreateAsync("prov-stored", "web-1", "s8", "dr", requestId: "prov-stored-1"),
            ErrorStatus.AlreadyExists, ErrorReasons.IdempotencyKeyReused);
        Assert.Equal(1, (await _grains.GetGrain<ITenantGrain>("prov-stored").GetAsync()).InstanceCount);
    }

    [Fact]
    public async Task Quota_is_enforced_and_a_refused_request_changes_nothing()
    {
        await _grains.TenantAsync("prov-quota", Provision.Quota(8), "dr");
        await _grains.WaitAsync(await _grains.CreateAsync("prov-quota", "web-1", "s4", "dr"));

        var error = await Provision.FailsAsync(() => _grains.CreateAsync("prov-quota", "web-2", "s8", "dr", requestId: "prov-quota-2"),
            ErrorStatus.ResourceExhausted, ErrorReasons.QuotaExceeded);
        Assert.Equal("cores", error.Metadata["dimension"]);
        Assert.True(error.Metadata.ContainsKey("operation_id"));

        var tenant = await _grains.GetGrain<ITenantGrain>("prov-quota").GetAsync();
        Assert.Equal(4, tenant.Usage.Cores);
        Assert.Equal(1, tenant.InstanceCount);
        // The same request again gets the same answer, and the failed operation can be read.
        var again = await Provision.FailsAsync(() => _grains.CreateAsync("prov-quota", "web-2", "s8", "dr", requestId: "prov-quota-2"),
            ErrorStatus.ResourceExhausted, ErrorReasons.QuotaExceeded);
        var failed = await _grains.GetGrain<IOperationGrain>(again.Metadata["operation_id"]).GetAsync();
        Assert.Equal(OperationState.Failed, failed!.State);
        // What fits in the quota still goes through.
        Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(await _grains.CreateAsync("prov-quota", "web-3", "s4", "dr"))).State);
    }

    [Fact]
    public async Task Delete_frees_the_server_and_the_quota()
    {
        await _grains.TenantAsync("prov-delete", Provision.Quota(16), "dr");
        var created = await _grains.WaitAsync(await _grains.CreateAsync("prov-delete", "web-1", "s16", "dr"));
        var instance = await _grains.InstanceAsync(created.InstanceId);
        var before = await _grains.GetGrain<IServerGrain>(instance.ServerId).GetAsync();

        var deleted = await _grains.WaitAsync(await _grains.DeleteAsync(created.InstanceId));

        Assert.Equal(OperationState.Succeeded, deleted.State);
        var after = await _grains.GetGrain<IServerGrain>(instance.ServerId).GetAsync();
        Assert.Equal(before.Allocated - instance.Resources, after.Allocated);
        Assert.DoesNotContain(after.Allocations, a => a.InstanceId == instance.Id);
        Assert.Equal(ResourceAmount.Zero, (await _grains.GetGrain<ITenantGrain>("prov-delete").GetAsync()).Usage);
        Assert.Null(await _grains.GetGrain<IInstanceGrain>(instance.Id).GetAsync());
        await Provision.FailsAsync(() => _grains.DeleteAsync(instance.Id), ErrorStatus.NotFound, ErrorReasons.InstanceNotFound);
        // The whole quota is usable again.
        Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(await _grains.CreateAsync("prov-delete", "web-1", "s16", "dr"))).State);
    }

    [Fact]
    public async Task A_region_outside_the_tenant_policy_is_refused()
    {
        await _grains.TenantAsync("prov-region", Provision.Quota(64), "prod");

        await Provision.FailsAsync(() => _grains.CreateAsync("prov-region", "web-1", "s4", "dr"), ErrorStatus.PermissionDenied, ErrorReasons.RegionNotAllowed);
        Assert.Equal(0, (await _grains.GetGrain<ITenantGrain>("prov-region").GetAsync()).InstanceCount);
    }

    [Fact]
    public async Task Unknown_tenant_is_not_found()
    {
        await Provision.FailsAsync(() => _grains.CreateAsync("prov-nobody", "web-1", "s4", "dr"), ErrorStatus.NotFound, ErrorReasons.TenantNotFound);
        await Provision.FailsAsync(() => _grains.GetGrain<ITenantGrain>("prov-nobody").GetAsync(), ErrorStatus.NotFound, ErrorReasons.TenantNotFound);
    }

    [Fact]
    public async Task A_name_is_unique_within_a_tenant()
    {
        await _grains.TenantAsync("prov-names", Provision.Quota(64), "dr");
        await _grains.WaitAsync(await _grains.CreateAsync("prov-names", "web-1", "s4", "dr"));

        await Provision.FailsAsync(() => _grains.CreateAsync("prov-names", "web-1", "s4", "dr"), ErrorStatus.AlreadyExists, ErrorReasons.InstanceNameTaken);
    }

    [Theory]
    [InlineData("nope", "dr", "", "size", ErrorReasons.UnknownSize)]
    [InlineData("s4", "mars", "", "region", ErrorReasons.UnknownRegion)]
    [InlineData("s4", "dr", "dr-z", "zone", ErrorReasons.UnknownZone)]
    [InlineData("s4", "dr", "prod-a", "zone", ErrorReasons.ZoneNotInRegion)]
    public async Task Unknown_size_region_or_zone_is_invalid(string size, string region, string zone, string field, string reason)
    {
        var tenant = $"prov-invalid-{reason.ToLowerInvariant().Replace('_', '-')}";
        await _grains.TenantAsync(tenant, Provision.Quota(64), "dr", "prod");

        var error = await Provision.FailsAsync(() => _grains.CreateAsync(tenant, "web-1", size, region, zone), ErrorStatus.InvalidArgument, reason);
        Assert.Contains(error.FieldViolations, v => v.Field == field);
    }

    [Fact]
    public async Task Tenants_are_unique_and_name_known_regions()
    {
        await _grains.TenantAsync("prov-tenant", Provision.Quota(4), "dr");

        await Provision.FailsAsync(() => _grains.TenantAsync("prov-tenant", Provision.Quota(4), "dr"), ErrorStatus.AlreadyExists, ErrorReasons.TenantExists);
        var error = await Provision.FailsAsync(() => _grains.TenantAsync("prov-tenant-2", Provision.Quota(4), "dr", "mars"),
            ErrorStatus.InvalidArgument, ErrorReasons.UnknownRegion);
        Assert.Equal("allowed_regions[1]", Assert.Single(error.FieldViolations).Field);
        await Provision.FailsAsync(() => _grains.GetGrain<ITenantGrain>("prov-tenant-2").GetAsync(), ErrorStatus.NotFound, ErrorReasons.TenantNotFound);
        var listed = await _grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).ListAsync(1000, null);
        Assert.Contains("prov-tenant", listed.Items);
        Assert.DoesNotContain("prov-tenant-2", listed.Items);
    }
}
