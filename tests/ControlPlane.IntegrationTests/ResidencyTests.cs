using ControlPlane.Contracts.V1;
using Grpc.Core;

namespace ControlPlane.IntegrationTests;

/// <summary>Residency over gRPC: the policy at creation, and GetTenant reporting where the tenant's resources are.</summary>
[Collection(HostCollection.Name)]
public sealed class ResidencyTests(HostFixture host)
{
    [Fact]
    public async Task A_tenant_states_its_residency_and_get_tenant_reports_where_its_resources_are()
    {
        var bad = new CreateTenantRequest { Id = "res-bad", Quota = Api.Res(8, 32), Residency = new Residency { Country = "US" } };
        bad.AllowedRegions.Add("france-centre");
        await Api.FailsAsync(() => host.Tenants.CreateTenantAsync(bad).ResponseAsync, StatusCode.InvalidArgument, "REGION_OUTSIDE_EU");

        var request = new CreateTenantRequest { Id = "res-fr", Quota = Api.Res(16, 64), Residency = new Residency { Country = "fr", InCountryDr = true } };
        request.AllowedRegions.AddRange(["france-centre", "france-sud"]);
        var created = await host.Tenants.CreateTenantAsync(request);
        Assert.Equal(("FR", true), (created.Residency.Country, created.Residency.InCountryDr));
        await host.WaitAsync(await host.CreateInstanceAsync("res-fr", "a", "Standard_D2s_v5"));
        await host.WaitAsync(await host.CreateInstanceAsync("res-fr", "b", "Standard_D2s_v5"));
        await host.WaitAsync(await host.CreateInstanceAsync("res-fr", "c", "Standard_D2s_v5", "france-sud"));

        var tenant = await host.Tenants.GetTenantAsync(new GetTenantRequest { Id = "res-fr" });
        Assert.Equal([("france-centre", "FR", 2), ("france-sud", "FR", 1)], tenant.Locations.Select(l => (l.Region, l.Country, l.Instances)));
        var regions = await host.Topology.ListRegionsAsync(new ListRegionsRequest());
        Assert.All(regions.Regions, r => Assert.Equal("FR", r.Country));
    }
}
