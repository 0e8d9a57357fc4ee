using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Tenants;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

public sealed class TenantsService(IGrainFactory grains) : V1.Tenants.TenantsBase
{
    private const int MaxDisplayName = 256;

    public override async Task<V1.Tenant> CreateTenant(V1.CreateTenantRequest request, ServerCallContext context)
    {
        var quota = request.Quota.ToModel();
        Validate.ThrowIfAny(
            ("id", Validate.Name("id", request.Id)),
            ("display_name", request.DisplayName.Length > MaxDisplayName ? $"display_name is longer than {MaxDisplayName} characters" : null),
            ("allowed_regions", request.AllowedRegions.Count == 0 ? "allowed_regions needs at least one region"
                : request.AllowedRegions.Any(string.IsNullOrEmpty) ? "allowed_regions holds an empty region"
                : request.AllowedRegions.Distinct().Count() != request.AllowedRegions.Count ? "allowed_regions names a region twice" : null),
            ("quota", request.Quota is null ? "quota is required (cores, memory_mib, gpus)"
                : quota.IsNegative ? "quota cannot be negative" : null),
            ("residency.country", request.Residency is { Country.Length: > 0 } r && (r.Country.Length != 2 || !r.Country.All(char.IsAsciiLetter))
                ? "residency.country must be an ISO 3166-1 alpha-2 code, e.g. FR" : null));
        var spec = new TenantSpec(request.Id, request.DisplayName.Length > 0 ? request.DisplayName : request.Id, [.. request.AllowedRegions], quota)
        {
            DataCountry = request.Residency?.Country.ToUpperInvariant() ?? "", InCountryDr = request.Residency?.InCountryDr ?? false,
        };
        var tenant = grains.GetGrain<ITenantGrain>(request.Id);
        return (await (request.ValidateOnly ? tenant.CheckCreateAsync(spec) : tenant.CreateAsync(spec))).ToProto();
    }

    public override async Task<V1.Tenant> GetTenant(V1.GetTenantRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("id", Validate.Name("id", request.Id)));
        var tenant = (await grains.GetGrain<ITenantGrain>(request.Id).GetAsync()).ToProto();
        tenant.Locations.AddRange(await new TenantLocations(grains).OfAsync(request.Id));
        return tenant;
    }

    public override async Task<V1.ListTenantsResponse> ListTenants(V1.ListTenantsRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(("page_size", Validate.PageSize("page_size", request.PageSize)));
        var page = await grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).ListAsync(request.PageSize, request.PageToken);
        // The lockbox applies to a listing as to GetTenant: only the tenants the caller may read (an operator: those he
        // holds an active grant of), so a page may hold fewer than page_size tenants, or none, before its last.
        var caller = CallerContext.Current;
        var visible = await Task.WhenAll(page.Items.Select(async id => await TenantAccess.AllowsAsync(grains, caller, Permission.ReadTenant, id) ? id : null));
        var tenants = await Task.WhenAll(visible.OfType<string>().Select(id => grains.GetGrain<ITenantGrain>(id).GetAsync()));
        var response = new V1.ListTenantsResponse { NextPageToken = page.NextPageToken };
        response.Tenants.AddRange(tenants.Select(t => t.ToProto()));
        return response;
    }
}
