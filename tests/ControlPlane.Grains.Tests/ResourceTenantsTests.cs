using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests;

/// <summary>The tenant of an instance, a service or an operation, as the gateway and the workflows look it up (records written directly, nothing placed).</summary>
[Collection(ClusterCollection.Name)]
public sealed class ResourceTenantsTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task An_instance_belongs_to_the_tenant_of_its_record()
    {
        var now = DateTimeOffset.UtcNow;
        await _grains.GetGrain<IInstanceGrain>("i-rt-owned").CreateAsync(
            new InstanceInfo("i-rt-owned", "rt-acme", "web", "s4", ResourceAmount.Zero, "prod", "", "", InstanceState.Provisioning, now, now));

        Assert.Equal("rt-acme", await _grains.TenantOfInstanceAsync("i-rt-owned"));
        Assert.Null(await _grains.TenantOfInstanceAsync("i-rt-nothing"));
    }

    [Fact]
    public async Task A_service_belongs_to_the_tenant_of_its_record()
    {
        var now = DateTimeOffset.UtcNow;
        await _grains.GetGrain<IServiceGrain>("svc-rt-owned").CreateAsync(
            new ServiceInfo("svc-rt-owned", "rt-acme", "mail", "suite", OfferKind.OfficeSuite, "svc", 5, ServiceState.Provisioning, [], now, now, ""));

        Assert.Equal("rt-acme", await _grains.TenantOfServiceAsync("svc-rt-owned"));
        Assert.Null(await _grains.TenantOfServiceAsync("svc-rt-nothing"));
    }

    [Fact]
    public async Task An_operation_belongs_to_the_tenant_it_names_and_a_refused_delete_of_nothing_to_none()
    {
        var created = await Provision.TryAsync(() => _grains.CreateAsync("rt-nobody", "web", "s4", "prod", requestId: "rt-create-nobody"));
        var deleted = await Provision.TryAsync(() => _grains.DeleteAsync("i-rt-nothing", requestId: "rt-delete-nothing"));

        Assert.Equal("rt-nobody", await _grains.TenantOfOperationAsync(created.Error!.Metadata[ErrorMetadata.OperationId]));
        Assert.Null(await _grains.TenantOfOperationAsync(deleted.Error!.Metadata[ErrorMetadata.OperationId]));
        Assert.Null(await _grains.TenantOfOperationAsync(Requests.OperationId("tenant:rt-nobody", "rt-never-sent")));
    }
}
