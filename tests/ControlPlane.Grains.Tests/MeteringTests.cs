using ControlPlane.Model;

namespace ControlPlane.Grains.Tests;

/// <summary>Usage from the instances' lifecycle, and invoice previews worked out by hand (test prices: 0.1 EUR/h + 12 % = 0.112).</summary>
[Collection(ClusterCollection.Name)]
public sealed class MeteringTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_instance_is_metered_from_running_until_deleted()
    {
        await _grains.TenantAsync("meter-life", Provision.Quota(64), "cat");
        var created = await _grains.WaitAsync(await _grains.CreateAsync("meter-life", "vm", "s4", "cat"));
        await Task.Delay(1_100);
        await _grains.WaitAsync(await _grains.DeleteAsync(created.InstanceId));
        var now = DateTimeOffset.UtcNow;

        var first = await _grains.GetGrain<IMeteringGrain>("meter-life").GetInvoicePreviewAsync(now.Year, now.Month);
        await Task.Delay(1_100);
        var later = await _grains.GetGrain<IMeteringGrain>("meter-life").GetInvoicePreviewAsync(now.Year, now.Month);

        var line = Assert.Single(first.Lines);
        Assert.Equal("s4", line.OfferId);
        Assert.InRange(line.Quantity, 1m / 3600, 30m / 3600);
        Assert.Equal(0.112m, line.UnitPrice);
        Assert.Equal(first.Lines.ToArray(), later.Lines.ToArray());
        Assert.Equal(first.Total, later.Total);
    }

    [Fact]
    public async Task Replayed_starts_and_ends_count_once_and_usage_is_clipped_to_the_month()
    {
        var metering = _grains.GetGrain<IMeteringGrain>("meter-math");
        await metering.StartAsync(new UsageRecord("a", "s4", "cat", At("2025-10-05T00:00:00Z"), null));
        await metering.EndAsync("a", At("2025-10-05T10:00:00Z"));                                        // 10 h
        await metering.StartAsync(new UsageRecord("a", "s4", "cat", At("2025-10-06T00:00:00Z"), null));  // a replay: ignored
        await metering.EndAsync("a", At("2025-10-20T00:00:00Z"));                                        // a replay: ignored
        await metering.StartAsync(new UsageRecord("b", "s4", "cat", At("2025-09-30T23:00:00Z"), null));
        await metering.EndAsync("b", At("2025-10-01T01:30:00Z"));                                        // 1.5 h in October
        await metering.StartAsync(new UsageRecord("c", "s4", "cat", At("2025-10-31T23:00:00Z"), null));  // still running: 1 h in October
        await metering.StartAsync(new UsageRecord("d", "s8", "cat", At("2025-10-10T00:00:00Z"), null));
        await metering.EndAsync("d", At("2025-10-14T04:00:00Z"));                                        // 100 h
        await metering.EndAsync("never-started", At("2025-10-14T04:00:00Z"));

        var october = await metering.GetInvoicePreviewAsync(2025, 10);
        var september = await metering.GetInvoicePreviewAsync(2025, 9);

        Assert.Equal("2025-10", october.Month);
        Assert.Equal(
            new[] { new InvoiceLine("s4", "s4", PriceUnit.Hour, 12.5m, 0.112m, 1.40m), new InvoiceLine("s8", "s8", PriceUnit.Hour, 100m, 0.112m, 11.20m) },
            october.Lines.ToArray());
        Assert.Equal(12.60m, october.Total);
        Assert.Equal(new InvoiceLine("s4", "s4", PriceUnit.Hour, 1m, 0.112m, 0.11m), Assert.Single(september.Lines));
    }
}
