using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Billing;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Tests.Storage;

namespace ControlPlane.Grains.Tests.Billing;

/// <summary>
/// Usage records that ended before the previous month are rolled up into per-month totals when the metering grain activates:
/// its pages keep the running and recent records only, and every invoice stays what it was.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MeteringRollUpTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset ThisMonth = new(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (int Year, int Month)[] Months = [(2025, 9), (2025, 10), (2025, 11), (2025, 12), (ThisMonth.Year, ThisMonth.Month)];

    [Fact]
    public async Task Past_records_are_rolled_up_at_activation_and_every_invoice_stays_the_same()
    {
        var metering = await RecordHistoryAsync("rollup-history");
        var before = await InvoicesAsync(metering);

        await fixture.CollectAsync();
        var after = await InvoicesAsync(metering);

        Assert.Equal(Describe(before), Describe(after));
        Assert.Equal(["running", "recent"], await StoredRecordIdsAsync("rollup-history"));
        var stored = (await fixture.ReadStoredAsync<MeteringState>("metering", metering.GetGrainId())).State!;
        Assert.Equal(["2025-09", "2025-10", "2025-11"], stored.Months.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(stored.RolledUp);

        // A replayed end of a rolled-up record changes nothing; a new record still counts.
        await metering.EndAsync("a", At("2025-12-20T00:00:00Z"));
        Assert.Equal(Describe(after), Describe(await InvoicesAsync(metering)));
        await metering.StartAsync(new UsageRecord("late", "s4", "cat", At("2025-10-20T00:00:00Z"), null));
        await metering.EndAsync("late", At("2025-10-20T02:00:00Z"));
        Assert.Equal(12.5m + 2m, (await metering.GetInvoicePreviewAsync(2025, 10)).Lines.Single(l => l.OfferId == "s4").Quantity);
    }

    [Fact]
    public async Task A_roll_up_cut_short_counts_its_records_once_and_removes_them_later()
    {
        var metering = await RecordHistoryAsync("rollup-cut");
        var before = await InvoicesAsync(metering);
        var pageWrites = 0;

        // The totals are stored, then the removal from the first page fails: that activation ends (the write failed) and the
        // call goes to a new one, which finds the records still in the page, known as counted.
        await fixture.CollectAsync();
        InvoicePreview[] after;
        using (fixture.StorageFaults.FailWrites(MeteringGrain.RecordPagesState, (id, _) => id.Key.ToString() == "rollup-cut/0" && ++pageWrites > 0))
        {
            after = await InvoicesAsync(metering);
        }

        Assert.Equal(2, pageWrites);  // the failed removal, then the one that finished it
        Assert.Equal(Describe(before), Describe(after));
        Assert.Equal(["running", "recent"], await StoredRecordIdsAsync("rollup-cut"));
        var stored = (await fixture.ReadStoredAsync<MeteringState>("metering", metering.GetGrainId())).State!;
        Assert.Equal(["2025-09", "2025-10", "2025-11"], stored.Months.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(stored.RolledUp);
    }

    /// <summary>Records of late 2025 (all ended, one of seats), one still running since then, and one ended this month.</summary>
    private async Task<IMeteringGrain> RecordHistoryAsync(string tenant)
    {
        var metering = _grains.GetGrain<IMeteringGrain>(tenant);
        await metering.StartAsync(new UsageRecord("a", "s4", "cat", At("2025-10-05T00:00:00Z"), null));
        await metering.EndAsync("a", At("2025-10-05T10:00:00Z"));                                        // 10 h in October
        await metering.StartAsync(new UsageRecord("b", "s4", "cat", At("2025-09-30T23:00:00Z"), null));
        await metering.EndAsync("b", At("2025-10-01T01:30:00Z"));                                        // 1 h in September, 1.5 h in October
        await metering.StartAsync(new UsageRecord("d", "s8", "cat", At("2025-10-10T00:00:00Z"), null));
        await metering.EndAsync("d", At("2025-11-14T04:00:00Z"));                                        // October and November
        await metering.StartAsync(new UsageRecord("svc-1", "suite", "cat", At("2025-11-01T00:00:00Z"), null) { Seats = 10 });
        await metering.ReplaceAsync("svc-1", new UsageRecord("svc-1#2", "suite", "cat", At("2025-11-16T00:00:00Z"), null) { Seats = 20 });
        await metering.EndAsync("svc-1#2", At("2025-12-01T00:00:00Z"));                                  // seat-months of November
        await metering.StartAsync(new UsageRecord("running", "s4", "cat", At("2025-10-31T23:00:00Z"), null));
        await metering.StartAsync(new UsageRecord("recent", "s8", "cat", ThisMonth, null));
        await metering.EndAsync("recent", ThisMonth.AddHours(3));
        return metering;
    }

    private static async Task<InvoicePreview[]> InvoicesAsync(IMeteringGrain metering) =>
        await Task.WhenAll(Months.Select(m => metering.GetInvoicePreviewAsync(m.Year, m.Month)));

    /// <summary>The invoices without the running record's lines of the months it is still running in (they grow with the clock).</summary>
    private static string[] Describe(InvoicePreview[] invoices) =>
        [.. invoices.Select(i => $"{i.Month}: {string.Join("; ", i.Lines.Where(l => i.Month is "2025-09" or "2025-10" or "2025-11" || l.OfferId != "s4").Select(l => $"{l.OfferId} {l.Quantity} {l.Amount}"))}")];

    private async Task<List<string>> StoredRecordIdsAsync(string owner)
    {
        var ids = new List<string>();
        for (var n = 0; ; n++)
        {
            var page = await fixture.ReadStoredAsync<EntryPage<UsageRecord>>(MeteringGrain.RecordPagesState, GrainId.Create(MeteringGrain.RecordPagesState, $"{owner}/{n}"));
            if (!page.RecordExists) return ids;
            ids.AddRange(page.State!.Entries.Keys);
        }
    }
}
