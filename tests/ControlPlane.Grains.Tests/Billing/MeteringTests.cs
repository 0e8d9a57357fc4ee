using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;

namespace ControlPlane.Grains.Tests.Billing;

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

    [Fact]
    public async Task Seats_and_months_are_billed_as_the_share_of_the_month_used()
    {
        // suite: 30 EUR per seat-month + 10 % = 33; civil: 390 EUR per month + 10 % = 429. November 2025 has 30 days.
        var metering = _grains.GetGrain<IMeteringGrain>("meter-seats");
        await metering.StartAsync(new UsageRecord("svc-1", "suite", "cat", At("2025-11-01T00:00:00Z"), null) { Seats = 10 });
        await metering.ReplaceAsync("svc-1", new UsageRecord("svc-1#2", "suite", "cat", At("2025-11-16T00:00:00Z"), null) { Seats = 20 });
        await metering.ReplaceAsync("svc-1", new UsageRecord("svc-1#2", "suite", "cat", At("2025-11-20T00:00:00Z"), null) { Seats = 20 }); // a replay: ignored
        await metering.StartAsync(new UsageRecord("svc-2", "civil", "cat", At("2025-11-11T00:00:00Z"), null));
        await metering.StartAsync(new UsageRecord("svc-3", "suite", "cat", At("2025-10-31T00:00:00Z"), null) { Seats = 1 });
        await metering.EndAsync("svc-3", At("2025-11-01T00:00:00Z"));

        var november = await metering.GetInvoicePreviewAsync(2025, 11);
        var october = await metering.GetInvoicePreviewAsync(2025, 10);
        var february = await metering.GetInvoicePreviewAsync(2026, 2);

        // 10 seats × 15 days + 20 seats × 15 days = 450 seat-days = 15 seat-months × 33 = 495.00; 20 days = 2/3 month × 429 = 286.00.
        Assert.Equal(["civil", "suite"], november.Lines.Select(l => l.OfferId));
        Assert.Equal((PriceUnit.Month, 429m, 286.00m), (november.Lines[0].Unit, november.Lines[0].UnitPrice, november.Lines[0].Amount));
        Assert.Equal((PriceUnit.SeatMonth, 15m, 33m, 495.00m), (november.Lines[1].Unit, november.Lines[1].Quantity, november.Lines[1].UnitPrice, november.Lines[1].Amount));
        Assert.Equal("Office (450 seat-days)", november.Lines[1].Description);
        Assert.Equal(781.00m, november.Total);
        // 1 seat for 1 of October's 31 days: 33 / 31 = 1.0645… → 1.06.
        Assert.Equal(1.06m, Assert.Single(october.Lines).Amount);
        // civil for all of February 2026 (28 days) and 20 seats all month: 429.00 + 660.00.
        Assert.Equal((429.00m, 660.00m), (february.Lines[0].Amount, february.Lines[1].Amount));
    }
}
