using ControlPlane.Domain.Residency;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Topology;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>
/// Where a tenant's resources are now (SNC 19.2.a), read from the records themselves (instances,
/// services), not from counters that could drift: one read per instance and service, a page of a
/// thousand at a time. A protected instance's disaster-recovery copy is counted in the region it
/// fails over to (the first region with the disaster-recovery role, as the disaster-recovery grain does).
/// </summary>
public sealed class TenantLocations(IGrainFactory grains)
{
    private const int Page = 1000;

    public async Task<IReadOnlyList<V1.ResourceLocation>> OfAsync(string tenantId)
    {
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        var regions = (await grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key).ListRegionsAsync()).ToDictionary(r => r.Id);
        var drRegion = ResidencyRules.DisasterRecoveryRegion(regions.Values.Select(r => (r.Id, r.Role)));
        var locations = new Dictionary<string, V1.ResourceLocation>(StringComparer.Ordinal);
        V1.ResourceLocation At(string region) => locations.TryGetValue(region, out var l) ? l
            : locations[region] = new V1.ResourceLocation { Region = region, Country = regions.GetValueOrDefault(region)?.Country ?? "" };

        for (string? token = null; ;)
        {
            var page = await tenant.ListInstanceIdsAsync(Page, token);
            foreach (var instance in (await Task.WhenAll(page.Items.Select(id => grains.GetGrain<IInstanceGrain>(id).GetAsync()))).OfType<InstanceInfo>())
            {
                At(instance.Region).Instances++;
                if (instance.DrProtected && drRegion is not null && drRegion != instance.Region) At(drRegion).DrCopies++;
            }
            if ((token = page.NextPageToken) is not { Length: > 0 }) break;
        }
        for (string? token = null; ;)
        {
            var page = await tenant.ListServiceIdsAsync(Page, token);
            foreach (var service in (await Task.WhenAll(page.Items.Select(id => grains.GetGrain<IServiceGrain>(id).GetAsync()))).OfType<ServiceInfo>())
            {
                At(service.Region).Services++;
            }
            if ((token = page.NextPageToken) is not { Length: > 0 }) break;
        }
        return [.. locations.Values.OrderBy(l => l.Region, StringComparer.Ordinal)];
    }
}
