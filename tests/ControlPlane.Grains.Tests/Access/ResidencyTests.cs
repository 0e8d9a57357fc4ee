using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Access;

namespace ControlPlane.Grains.Tests.Access;

/// <summary>Data residency: the EU always, one country or in-country disaster recovery by tenant policy. Region "de" is in Germany, "ch" in Switzerland.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ResidencyTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;
    private static readonly PlatformTopology Topology = TestTopology.Create();

    private Task<TenantInfo> CreateAsync(string id, string country, params string[] regions) =>
        _grains.GetGrain<ITenantGrain>(id).CreateAsync(new TenantSpec(id, id, [.. regions], Provision.Quota(16)) { DataCountry = country });

    [Fact]
    public async Task A_tenant_outside_the_EU_or_outside_its_country_is_refused_and_nothing_is_written()
    {
        var outside = await Provision.FailsAsync(() => CreateAsync("res-ch", "", "prod", "ch"), ErrorStatus.FailedPrecondition, ErrorReasons.RegionOutsideEu);
        Assert.Equal(("ch", "CH"), (outside.Metadata["region"], outside.Metadata["country"]));
        await Provision.FailsAsync(() => CreateAsync("res-fr", "FR", "prod", "de"), ErrorStatus.FailedPrecondition, ErrorReasons.RegionOutsideCountry);
        await Provision.FailsAsync(() => CreateAsync("res-us", "US", "prod"), ErrorStatus.InvalidArgument, ErrorReasons.RegionOutsideEu);
        foreach (var id in new[] { "res-ch", "res-fr", "res-us" })
        {
            await Provision.FailsAsync(() => _grains.GetGrain<ITenantGrain>(id).GetAsync(), ErrorStatus.NotFound, ErrorReasons.TenantNotFound);
        }

        // Anywhere in the EU without a country; France only with one.
        await CreateAsync("res-eu", "", "prod", "de");
        var placed = await _grains.WaitAsync(await _grains.CreateAsync("res-eu", "vm", "s4", "de"));
        Assert.Equal(OperationState.Succeeded, placed.State);
        await CreateAsync("res-fr-ok", "FR", "prod");
    }

    [Fact]
    public void Every_placement_is_checked_against_the_policy_of_the_day()
    {
        var france = new TenantSpec("t", "t", ["prod", "de"], Provision.Quota(1)) { DataCountry = "FR" };
        Assert.Equal(ErrorReasons.ResidencyViolation, Residency.Problem(france, Topology.FindRegion("de")!)!.Reason);
        Assert.Null(Residency.Problem(france, Topology.FindRegion("prod")!));
        var eu = new TenantSpec("t", "t", ["prod", "ch"], Provision.Quota(1));
        Assert.Equal(ErrorReasons.ResidencyViolation, Residency.Problem(eu, Topology.FindRegion("ch")!)!.Reason);
    }

    [Fact]
    public void Disaster_recovery_copies_stay_in_the_instances_country_when_the_tenant_says_so()
    {
        var inCountry = new TenantSpec("t", "t", ["prod", "de"], Provision.Quota(1)) { InCountryDr = true };
        Assert.Contains("in the country of the instance (FR)", Residency.DrProblem(inCountry, Topology.FindRegion("prod")!, Topology.FindRegion("de")!));
        Assert.Null(Residency.DrProblem(inCountry, Topology.FindRegion("prod")!, Topology.FindRegion("drs")!));
        Assert.Null(Residency.DrProblem(inCountry with { InCountryDr = false }, Topology.FindRegion("prod")!, Topology.FindRegion("de")!));
        Assert.NotNull(Residency.DrProblem(inCountry with { InCountryDr = false }, Topology.FindRegion("prod")!, Topology.FindRegion("ch")!));
    }
}
