using System.Collections.Immutable;
using System.Globalization;
using ControlPlane.Domain.Pricing;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Billing;

/// <summary>
/// A tenant's metering. Usage is counted to the second and billed in the unit of the offer's price:
/// instance or service hours; months or seat-months as the share of the invoiced month's seconds
/// used (× seats). Each line's amount is rounded once (<see cref="Money.LineAmount"/>).
/// </summary>
public sealed class MeteringGrain(
    OfferCatalogue catalogue,
    TimeProvider clock,
    [PersistentState("metering", StorageNames.State)] IPersistentState<MeteringState> state) : Grain, IMeteringGrain
{
    public async Task StartAsync(UsageRecord record)
    {
        if (!state.State.Records.TryAdd(record.InstanceId, record with { End = null })) return;
        await state.PersistAsync(this);
    }

    public async Task EndAsync(string instanceId, DateTimeOffset end)
    {
        if (!Close(instanceId, end)) return;
        await state.PersistAsync(this);
    }

    public async Task ReplaceAsync(string endId, UsageRecord next)
    {
        var closed = Close(endId, next.Start);
        var opened = state.State.Records.TryAdd(next.InstanceId, next with { End = null });
        if (closed || opened) await state.PersistAsync(this);
    }

    public Task<InvoicePreview> GetInvoicePreviewAsync(int year, int month)
    {
        var from = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddMonths(1);
        var monthSeconds = (decimal)(to - from).TotalSeconds;
        var now = clock.GetUtcNow();
        var lines = state.State.Records.Values
            .Select(r => (r.OfferId, UnitSeconds: Seconds(Max(r.Start, from), Min(r.End ?? now, to)) * (decimal)r.Seats))
            .Where(u => u.UnitSeconds > 0)
            .GroupBy(u => u.OfferId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var offer = catalogue.Find(g.Key);
                var unit = offer?.Price.Unit ?? PriceUnit.Hour;
                var unitSeconds = g.Sum(u => u.UnitSeconds);
                var quantity = unit == PriceUnit.Hour ? unitSeconds / 3600m : unitSeconds / monthSeconds;
                var price = offer?.Price.CataloguePrice ?? 0m;
                var description = unit == PriceUnit.SeatMonth
                    ? $"{offer?.DisplayName ?? g.Key} ({unitSeconds / 86400m:0.##} seat-days)"
                    : offer?.DisplayName ?? g.Key;
                return new InvoiceLine(g.Key, description, unit, quantity, price, Money.LineAmount(quantity, price));
            })
            .ToImmutableArray();
        return Task.FromResult(new InvoicePreview(this.GetPrimaryKeyString(), from.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            lines, lines.Sum(l => l.Amount)));
    }

    /// <summary>Closes an open record at <paramref name="end"/> (never before its start); false when there was nothing to close.</summary>
    private bool Close(string id, DateTimeOffset end)
    {
        if (!state.State.Records.TryGetValue(id, out var record) || record.End is not null) return false;
        state.State.Records[id] = record with { End = end < record.Start ? record.Start : end };
        return true;
    }

    private static long Seconds(DateTimeOffset start, DateTimeOffset end) => end > start ? (long)(end - start).TotalSeconds : 0;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
