using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests;

/// <summary>Test helpers that call the grains as the gateway does.</summary>
public static class Provision
{
    public static Task<TenantInfo> TenantAsync(this IGrainFactory grains, string id, ResourceAmount quota, params string[] regions) =>
        grains.GetGrain<ITenantGrain>(id).CreateAsync(new TenantSpec(id, id, [.. regions], quota));

    public static Task<OperationInfo> CreateAsync(this IGrainFactory grains, string tenant, string name, string size, string region,
        string zone = "", string? requestId = null)
    {
        var rid = requestId ?? Guid.NewGuid().ToString();
        return grains.TenantOperation(tenant, rid).StartCreateAsync(new CreateInstanceCommand(rid, tenant, name, size, region, zone));
    }

    public static Task<OperationInfo> CreateZoneRedundantAsync(this IGrainFactory grains, string tenant, string name, string size, string region, int count)
    {
        var rid = Guid.NewGuid().ToString();
        return grains.TenantOperation(tenant, rid).StartZoneRedundantAsync(new CreateZoneRedundantCommand(rid, tenant, name, size, region, count));
    }

    public static Task<OperationInfo> OrderServiceAsync(this IGrainFactory grains, string tenant, string name, string offer, string region,
        int seats = 0, string? requestId = null)
    {
        var rid = requestId ?? Guid.NewGuid().ToString();
        return grains.TenantOperation(tenant, rid).StartOrderServiceAsync(new OrderServiceCommand(rid, tenant, name, offer, region, seats));
    }

    public static Task<OperationInfo> CancelServiceAsync(this IGrainFactory grains, string serviceId)
    {
        var rid = Guid.NewGuid().ToString();
        return grains.ServiceOperation(serviceId, rid).StartCancelServiceAsync(new CancelServiceCommand(rid, serviceId));
    }

    /// <summary>The operation, or the domain error that refused it.</summary>
    public static async Task<(OperationInfo? Operation, DomainError? Error)> TryAsync(Func<Task<OperationInfo>> call)
    {
        try
        {
            return (await call(), null);
        }
        catch (ControlPlaneException e)
        {
            return (null, e.Error);
        }
    }

    public static Task<OperationInfo> DeleteAsync(this IGrainFactory grains, string instanceId, string? requestId = null)
    {
        var rid = requestId ?? Guid.NewGuid().ToString();
        return grains.InstanceOperation(instanceId, rid).StartDeleteAsync(new DeleteInstanceCommand(rid, instanceId));
    }

    public static async Task<OperationInfo> WaitAsync(this IGrainFactory grains, OperationInfo operation)
    {
        var done = await grains.GetGrain<IOperationGrain>(operation.Id).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(done);
        Assert.True(done.IsTerminal, $"operation {operation.Id} is still {done.State}");
        return done;
    }

    public static async Task<DomainError> FailsAsync(Func<Task> call, ErrorStatus code, string reason)
    {
        var e = await Assert.ThrowsAsync<ControlPlaneException>(call);
        Assert.Equal(code, e.Error.Code);
        Assert.Equal(reason, e.Error.Reason);
        return e.Error;
    }

    public static async Task<InstanceInfo> InstanceAsync(this IGrainFactory grains, string instanceId) =>
        await grains.GetGrain<IInstanceGrain>(instanceId).GetAsync() ?? throw new Xunit.Sdk.XunitException($"instance {instanceId} does not exist");

    public static ResourceAmount Quota(long cores) => new(cores, cores * 4096, 8);

    public static Task<ServiceInfo?> ServiceAsync(this IGrainFactory grains, string serviceId) => grains.GetGrain<IServiceGrain>(serviceId).GetAsync();

    public static Task<TenantInfo> TenantOfAsync(this IGrainFactory grains, string tenantId) => grains.GetGrain<ITenantGrain>(tenantId).GetAsync();

    /// <summary>The instances a server holds (its disaster-recovery reservations left out).</summary>
    public static async Task<string[]> HeldOnAsync(this IGrainFactory grains, string serverId) =>
        [.. (await grains.GetGrain<IServerGrain>(serverId).GetAsync()).Allocations.Where(a => !a.IsReservation).Select(a => a.InstanceId)];

    /// <summary>The lines of the tenant's invoice of this month, as it stands.</summary>
    public static async Task<InvoiceLine[]> InvoiceLinesAsync(this IGrainFactory grains, string tenantId)
    {
        var now = DateTimeOffset.UtcNow;
        return [.. (await grains.GetGrain<IMeteringGrain>(tenantId).GetInvoicePreviewAsync(now.Year, now.Month)).Lines];
    }
}
