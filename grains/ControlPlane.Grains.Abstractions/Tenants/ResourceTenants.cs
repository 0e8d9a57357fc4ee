using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Services;

namespace ControlPlane.Grains.Abstractions.Tenants;

/// <summary>
/// The tenant an instance, service or operation belongs to, read from its record. Null: no such
/// resource, or an operation that names no tenant (one refused because its instance did not exist).
/// </summary>
public static class ResourceTenants
{
    public static async Task<string?> TenantOfInstanceAsync(this IGrainFactory grains, string instanceId) =>
        Named((await grains.GetGrain<IInstanceGrain>(instanceId).GetAsync())?.TenantId);

    public static async Task<string?> TenantOfServiceAsync(this IGrainFactory grains, string serviceId) =>
        Named((await grains.GetGrain<IServiceGrain>(serviceId).GetAsync())?.TenantId);

    public static async Task<string?> TenantOfOperationAsync(this IGrainFactory grains, string operationId) =>
        Named((await grains.GetGrain<IOperationGrain>(operationId).GetAsync())?.TenantId);

    private static string? Named(string? tenantId) => tenantId is { Length: > 0 } ? tenantId : null;
}
