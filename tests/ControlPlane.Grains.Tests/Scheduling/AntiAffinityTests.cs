using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Scheduling;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Scheduling;

/// <summary>Anti-affinity groups and zone-redundant sets hold under concurrency: never two members together.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AntiAffinityTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Concurrent_members_of_a_server_scoped_group_land_on_distinct_servers_or_are_refused()
    {
        // aff-a: 3 servers of 16 cores; 12 members of 4 cores would fit on one server without the group.
        await _grains.TenantAsync("aa-server", Provision.Quota(1_000), "aff");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Provision.TryAsync(() => Create("aa-server", $"web-{i}", "aff", "aff-a", AntiAffinityScope.Server))));

        var accepted = attempts.Where(a => a.Operation is not null).ToList();
        Assert.Equal(3, accepted.Count);
        Assert.All(attempts.Where(a => a.Error is not null), a => Assert.Equal(ErrorReasons.NoCapacity, a.Error!.Reason));
        var servers = new List<string>();
        foreach (var (operation, _) in accepted)
        {
            Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(operation!)).State);
            var instance = await _grains.InstanceAsync(operation!.InstanceId);
            Assert.Equal(("web", AntiAffinityScope.Server), (instance.AntiAffinityGroup, instance.AntiAffinityScope));
            servers.Add(instance.ServerId);
        }
        Assert.Equal(3, servers.Distinct().Count());

        // Outside the group, the same zone still takes instances.
        Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(await _grains.CreateAsync("aa-server", "other", "s4", "aff", "aff-a"))).State);
    }

    [Fact]
    public async Task Concurrent_zone_redundant_sets_are_placed_whole_in_distinct_zones_or_refused_whole()
    {
        // zr: three zones of 3 servers of 16 cores. Sets of 3 × s16 take a whole server in each zone;
        // another test may hold part of one server per zone, so at least 2 and at most 3 sets fit — and
        // racing sets must not crowd each other out below what fits.
        await _grains.TenantAsync("zr-sets", Provision.Quota(10_000), "zr");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Provision.TryAsync(() => _grains.CreateZoneRedundantAsync("zr-sets", $"db-{i}", "s16", "zr", 3))));

        var accepted = attempts.Where(a => a.Operation is not null).Select(a => a.Operation!).ToList();
        Assert.InRange(accepted.Count, 2, 3);
        Assert.All(attempts.Where(a => a.Error is not null), a => Assert.Equal(ErrorReasons.NoCapacity, a.Error!.Reason));
        foreach (var operation in accepted)
        {
            Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(operation)).State);
            Assert.Equal(3, operation.InstanceIds.Length);
            var members = await Task.WhenAll(operation.InstanceIds.Select(id => _grains.InstanceAsync(id)));
            Assert.Equal(["zr-a", "zr-b", "zr-c"], members.Select(m => m.Zone).Order().ToArray());
            Assert.All(members, m => Assert.Equal(InstanceState.Running, m.State));
        }
        // Refused sets left nothing behind: the tenant holds exactly the accepted sets.
        var tenant = await _grains.GetGrain<ITenantGrain>("zr-sets").GetAsync();
        Assert.Equal(accepted.Count * 3, tenant.InstanceCount);
        Assert.Equal(accepted.Count * 3 * 16, tenant.Usage.Cores);

        await Provision.FailsAsync(() => _grains.CreateZoneRedundantAsync("zr-sets", "too-many", "s4", "zr", 4),
            ErrorStatus.InvalidArgument, ErrorReasons.InvalidArgument);
    }

    [Fact]
    public async Task A_zone_scoped_group_puts_at_most_one_member_in_each_zone()
    {
        await _grains.TenantAsync("zr-zone", Provision.Quota(1_000), "zr");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Provision.TryAsync(() => Create("zr-zone", $"api-{i}", "zr", "", AntiAffinityScope.Zone))));

        var accepted = attempts.Where(a => a.Operation is not null).Select(a => a.Operation!).ToList();
        Assert.Equal(3, accepted.Count);
        var refusal = attempts.First(a => a.Error is not null).Error!;
        Assert.Equal((ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity), (refusal.Code, refusal.Reason));
        Assert.Contains(refusal.Metadata.Keys, k => k.StartsWith("zone.zr-", StringComparison.Ordinal));
        var zones = await Task.WhenAll(accepted.Select(async o => (await _grains.InstanceAsync(o.InstanceId)).Zone));
        Assert.Equal(["zr-a", "zr-b", "zr-c"], zones.Order().ToArray());
    }

    private Task<OperationInfo> Create(string tenant, string name, string region, string zone, AntiAffinityScope scope)
    {
        var rid = Guid.NewGuid().ToString();
        var group = name[..name.IndexOf('-')];
        return _grains.TenantOperation(tenant, rid).StartCreateAsync(
            new CreateInstanceCommand(rid, tenant, name, "s4", region, zone) { AntiAffinityGroup = group, AntiAffinityScope = scope });
    }
}
