using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ControlPlane.Grains.Tests.Tenants;

/// <summary>The tenant directory: a tenant's creation writes one shard; the listing merges them, in order, page by page.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TenantDirectoryTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task A_tenant_is_written_to_its_own_shard_and_listed_in_order_across_shards_page_by_page()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"dir-{i:D2}").ToList();
        foreach (var id in ids) await _grains.TenantAsync(id, Provision.Quota(4), "dr");

        var listed = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).ListAsync(7, token);
            Assert.True(page.Items.Length <= 7);
            listed.AddRange(page.Items);
            token = page.NextPageToken.Length > 0 ? page.NextPageToken : null;
            pages++;
        }
        while (token is not null && pages < 1000);

        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(ids, listed.Where(id => id.StartsWith("dir-", StringComparison.Ordinal)));
        // The ids fall in several shards, each holding only its own.
        var shards = ids.GroupBy(ITenantDirectoryShardGrain.Of).ToList();
        Assert.True(shards.Count > 10, $"40 ids in {shards.Count} shards");
        foreach (var shard in shards)
        {
            var held = await _grains.GetGrain<ITenantDirectoryShardGrain>(shard.Key).ListAsync(null, 1000);
            Assert.All(held.Items, id => Assert.Equal(shard.Key, ITenantDirectoryShardGrain.Of(id)));
            Assert.Subset(held.Items.ToHashSet(), shard.ToHashSet());
        }
    }

    [Fact]
    public async Task Tenants_the_single_list_of_earlier_versions_holds_are_still_listed()
    {
        var directory = _grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key);
        // Written as an earlier version left it, before the directory's grain is activated by any other test's listing.
        await fixture.Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.State).WriteStateAsync("tenants", directory.GetGrainId(),
            new GrainState<TenantDirectoryState>(new TenantDirectoryState { TenantIds = { "dir-legacy" } }));
        await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0)
            .ForceActivationCollection(TimeSpan.Zero);

        var listed = await directory.ListAsync(1000, null);

        Assert.Contains("dir-legacy", listed.Items);
    }
}
