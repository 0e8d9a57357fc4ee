using System.Collections.Immutable;
using System.Globalization;
using ControlPlane.Catalogue;
using ControlPlane.Model;
using ControlPlane.Telemetry;

namespace ControlPlane.Grains;

/// <summary>
/// A tenant's metering. Instance-hours are counted to the second, per offer (the size's), and
/// billed at the catalogue price: each line's amount is rounded once (<see cref="Money.LineAmount"/>).
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
        if (!state.State.Records.TryGetValue(instanceId, out var record) || record.End is not null) return;
        state.State.Records[instanceId] = record with { End = end < record.Start ? record.Start : end };
        await state.PersistAsync(this);
    }

    public Task<InvoicePreview> GetInvoicePreviewAsync(int year, int month)
    {
        var from = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddMonths(1);
        var now = clock.GetUtcNow();
        var lines = state.State.Records.Values
            .Select(r => (r.OfferId, Seconds: Seconds(Max(r.Start, from), Min(r.End ?? now, to))))
            .Where(u => u.Seconds > 0)
            .GroupBy(u => u.OfferId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var offer = catalogue.Find(g.Key);
                var hours = g.Sum(u => u.Seconds) / 3600m;
                var price = offer?.Price.CataloguePrice ?? 0m;
                return new InvoiceLine(g.Key, offer?.DisplayName ?? g.Key, PriceUnit.Hour, hours, price, Money.LineAmount(hours, price));
            })
            .ToImmutableArray();
        return Task.FromResult(new InvoicePreview(this.GetPrimaryKeyString(), from.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            lines, lines.Sum(l => l.Amount)));
    }

    private static long Seconds(DateTimeOffset start, DateTimeOffset end) => end > start ? (long)(end - start).TotalSeconds : 0;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
