using System.Collections.Immutable;
using System.Globalization;
using ControlPlane.Domain.Pricing;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ControlPlane.Grains.Billing;

/// <summary>
/// A tenant's metering. Usage is counted to the second and billed in the unit of the offer's price:
/// instance or service hours; months or seat-months as the share of the invoiced month's seconds
/// used (× seats). Each line's amount is rounded once (<see cref="Money.LineAmount"/>).
/// The records are stored in pages (<see cref="EntryPages{T}"/>, state <c>meteringRecords</c>): a start or an end
/// writes one page, however many records the tenant has.
/// </summary>
public sealed class MeteringGrain(
    OfferCatalogue catalogue,
    TimeProvider clock,
    [PersistentState("metering", StorageNames.State)] IPersistentState<MeteringState> state) : Grain, IMeteringGrain
{
    /// <summary>The storage state name of the record pages.</summary>
    public const string RecordPagesState = "meteringRecords";

    private EntryPages<UsageRecord> _records = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _records = new EntryPages<UsageRecord>(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.State), RecordPagesState, this.GetPrimaryKeyString());
        await _records.LoadAsync();
        if (state.State.Records.Count > 0)
        {
            // Written whole in the state by an earlier version: moved into pages, then the state cleared.
            await _records.AddMissingAsync(state.State.Records, this);
            await state.ClearAsync(this);
        }
    }

    public async Task StartAsync(UsageRecord record)
    {
        if (_records.ContainsKey(record.InstanceId)) return;
        await _records.SetAsync(record.InstanceId, record with { End = null }, this);
    }

    public async Task EndAsync(string instanceId, DateTimeOffset end)
    {
        if (Closed(instanceId, end) is { } closed) await _records.SetAsync(instanceId, closed, this);
    }

    public async Task ReplaceAsync(string endId, UsageRecord next)
    {
        if (Closed(endId, next.Start) is { } closed) await _records.SetAsync(endId, closed, this);
        if (!_records.ContainsKey(next.InstanceId)) await _records.SetAsync(next.InstanceId, next with { End = null }, this);
    }

    public Task<InvoicePreview> GetInvoicePreviewAsync(int year, int month)
    {
        var from = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddMonths(1);
        var monthSeconds = (decimal)(to - from).TotalSeconds;
        var now = clock.GetUtcNow();
        var lines = _records.Entries.Select(e => e.Value)
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

    /// <summary>The open record <paramref name="id"/> closed at <paramref name="end"/> (never before its start); null when there is nothing to close.</summary>
    private UsageRecord? Closed(string id, DateTimeOffset end) =>
        _records.TryGetValue(id, out var record) && record.End is null ? record with { End = end < record.Start ? record.Start : end } : null;

    private static long Seconds(DateTimeOffset start, DateTimeOffset end) => end > start ? (long)(end - start).TotalSeconds : 0;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
