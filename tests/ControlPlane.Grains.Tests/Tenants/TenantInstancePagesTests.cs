using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Billing;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Tenants;
using ControlPlane.Grains.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ControlPlane.Grains.Tests.Tenants;

/// <summary>
/// A tenant's instances and usage records are stored in pages of at most 64 entries: an admission, a release, a start or an
/// end writes one page whatever the tenant's size, and everything is read back when the grain activates again.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TenantInstancePagesTests(ClusterFixture fixture)
{
    private static readonly ResourceAmount Small = new(1, 1024, 0);

    private readonly IGrainFactory _grains = fixture.Grains;

    private IGrainStorage Storage => fixture.Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);

    [Fact]
    public async Task Each_admission_writes_one_bounded_page_and_a_new_activation_reads_every_instance_back()
    {
        var tenant = await CreateTenantAsync("pages-big");
        var written = new List<int>();
        using (Recording(TenantGrain.InstancePagesState, "pages-big", written))
        {
            for (var i = 0; i < 200; i++) await tenant.AdmitInstanceAsync($"i-{i:D3}", $"vm-{i:D3}", "cat", Small);
        }

        Assert.Equal(200, written.Count);                      // one write per admission
        Assert.All(written, entries => Assert.InRange(entries, 1, EntryPages.DefaultPageSize));
        Assert.Equal([64, 64, 64, 8], await StoredPageSizesAsync<TenantInstance>(TenantGrain.InstancePagesState, "pages-big"));
        Assert.Empty((await fixture.ReadStoredAsync<TenantState>("tenant", tenant.GetGrainId())).State!.Instances);

        await fixture.CollectAsync();
        var info = await tenant.GetAsync();
        Assert.Equal(200, info.InstanceCount);
        Assert.Equal(new ResourceAmount(200, 200 * 1024, 0), info.Usage);
        await Provision.FailsAsync(() => tenant.AdmitInstanceAsync("i-dup", "vm-150", "cat", Small), ErrorStatus.AlreadyExists, ErrorReasons.InstanceNameTaken);

        Assert.Contains("i-010", (await tenant.ListInstanceIdsAsync(500, null)).Items);

        // A release frees room in its page, which the next admission fills before any later page; the name can be used again.
        await tenant.ReleaseInstanceAsync("i-010");
        await tenant.AdmitInstanceAsync("i-new", "vm-010", "cat", Small);
        Assert.Equal([64, 64, 64, 8], await StoredPageSizesAsync<TenantInstance>(TenantGrain.InstancePagesState, "pages-big"));
        Assert.Contains("i-new", (await fixture.ReadStoredAsync<EntryPage<TenantInstance>>(TenantGrain.InstancePagesState, Page("pages-big", 0))).State!.Entries.Keys);
        var ids = await tenant.ListInstanceIdsAsync(500, null);
        Assert.Equal(200, ids.Items.Length);
        Assert.DoesNotContain("i-010", ids.Items);
        Assert.Contains("i-new", ids.Items);
    }

    [Fact]
    public async Task Quota_counts_every_page_after_a_new_activation()
    {
        var tenant = _grains.GetGrain<ITenantGrain>("pages-quota");
        await tenant.CreateAsync(new TenantSpec("pages-quota", "pages-quota", ["cat"], new ResourceAmount(70, 70 * 1024, 0)));
        for (var i = 0; i < 70; i++) await tenant.AdmitInstanceAsync($"i-{i}", $"vm-{i}", "cat", Small);
        await fixture.CollectAsync();

        await Provision.FailsAsync(() => tenant.AdmitInstanceAsync("i-over", "vm-over", "cat", Small), ErrorStatus.ResourceExhausted, ErrorReasons.QuotaExceeded);
        await tenant.ReleaseInstanceAsync("i-69");
        await tenant.AdmitInstanceAsync("i-over", "vm-over", "cat", Small);
        Assert.Equal(70, (await tenant.GetAsync()).InstanceCount);
    }

    [Fact]
    public async Task Instances_and_usage_records_an_earlier_version_stored_whole_are_moved_into_pages()
    {
        // This month's records: older ones would be rolled up at activation (MeteringRollUpTests).
        var now = DateTimeOffset.UtcNow;
        var at = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var legacy = new TenantState
        {
            Spec = new TenantSpec("pages-legacy", "pages-legacy", ["cat"], Provision.Quota(512)),
            CreateTime = at,
        };
        var usage = new MeteringState();
        for (var i = 0; i < 100; i++)
        {
            legacy.Instances[$"i-{i}"] = new TenantInstance($"vm-{i}", Small);
            usage.Records[$"i-{i}"] = new UsageRecord($"i-{i}", "s4", "cat", at, at.AddHours(10));
        }
        // Written as an earlier version left them, before any activation of these grains.
        await Storage.WriteStateAsync("tenant", TenantId("pages-legacy"), new GrainState<TenantState>(legacy));
        await Storage.WriteStateAsync("metering", MeteringId("pages-legacy"), new GrainState<MeteringState>(usage));

        var info = await _grains.GetGrain<ITenantGrain>("pages-legacy").GetAsync();
        var invoice = await _grains.GetGrain<IMeteringGrain>("pages-legacy").GetInvoicePreviewAsync(at.Year, at.Month);

        Assert.Equal((100, new ResourceAmount(100, 100 * 1024, 0)), (info.InstanceCount, info.Usage));
        Assert.Equal([64, 36], await StoredPageSizesAsync<TenantInstance>(TenantGrain.InstancePagesState, "pages-legacy"));
        Assert.Empty((await fixture.ReadStoredAsync<TenantState>("tenant", TenantId("pages-legacy"))).State!.Instances);
        Assert.Equal(1000m, Assert.Single(invoice.Lines).Quantity);  // 100 records of 10 h
        Assert.Equal([64, 36], await StoredPageSizesAsync<UsageRecord>(MeteringGrain.RecordPagesState, "pages-legacy"));
        Assert.False((await fixture.ReadStoredAsync<MeteringState>("metering", MeteringId("pages-legacy"))).RecordExists);
    }

    [Fact]
    public async Task A_failed_page_write_refuses_the_admission_and_leaves_nothing_counted()
    {
        var tenant = await CreateTenantAsync("pages-fail");
        await tenant.AdmitInstanceAsync("i-1", "vm-1", "cat", Small);
        using (fixture.StorageFaults.FailWrites(TenantGrain.InstancePagesState, (id, _) => id.Key.ToString() == "pages-fail/0"))
        {
            await Provision.FailsAsync(() => tenant.AdmitInstanceAsync("i-2", "vm-2", "cat", Small), ErrorStatus.Unavailable, ErrorReasons.StorageUnavailable);
        }

        Assert.Equal(1, (await tenant.GetAsync()).InstanceCount);
        await tenant.AdmitInstanceAsync("i-2", "vm-2", "cat", Small);
        await fixture.CollectAsync();
        Assert.Equal(2, (await tenant.GetAsync()).InstanceCount);
    }

    private async Task<ITenantGrain> CreateTenantAsync(string id)
    {
        await _grains.TenantAsync(id, Provision.Quota(4096), "cat");
        return _grains.GetGrain<ITenantGrain>(id);
    }

    private GrainId TenantId(string id) => _grains.GetGrain<ITenantGrain>(id).GetGrainId();

    private GrainId MeteringId(string id) => _grains.GetGrain<IMeteringGrain>(id).GetGrainId();

    private static GrainId Page(string owner, int n) => GrainId.Create(TenantGrain.InstancePagesState, $"{owner}/{n}");

    /// <summary>The entry count of each stored page of <paramref name="owner"/>, in page order, up to the first never written.</summary>
    private async Task<List<int>> StoredPageSizesAsync<T>(string stateName, string owner)
    {
        var sizes = new List<int>();
        for (var n = 0; ; n++)
        {
            var page = await fixture.ReadStoredAsync<EntryPage<T>>(stateName, GrainId.Create(stateName, $"{owner}/{n}"));
            if (!page.RecordExists) return sizes;
            sizes.Add(page.State!.Entries.Count);
        }
    }


    /// <summary>Records the entry count of each page of <paramref name="owner"/> written while it is not disposed (a fault rule that never fails).</summary>
    private IDisposable Recording(string stateName, string owner, List<int> written) =>
        fixture.StorageFaults.FailWrites(stateName, (id, state) =>
        {
            if (id.Key.ToString()!.StartsWith(owner + "/", StringComparison.Ordinal) && state is EntryPage<TenantInstance> page)
            {
                lock (written) written.Add(page.Entries.Count);
            }
            return false;
        }, times: 0);

}
