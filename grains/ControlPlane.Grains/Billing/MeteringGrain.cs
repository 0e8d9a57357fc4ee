using System.Collections.Immutable;
using System.Globalization;
using ControlPlane.Domain.Pricing;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ControlPlane.Grains.Billing;

/// <summary>
/// A tenant's metering. Usage is counted to the second and billed in the unit of the offer's price:
/// instance or service hours; months or seat-months as the share of the invoiced month's seconds
/// used (× seats). Each line's amount is rounded once (<see cref="Money.LineAmount"/>).
/// The records are stored in pages (<see cref="EntryPages{T}"/>, state <c>meteringRecords</c>): a start or an end
/// writes one page, however many records the tenant has. Records that ended before the previous month began are rolled
/// up into per-month, per-offer totals (<see cref="MeteringState.Months"/>) when the grain activates and at the first
/// start of each month, so the pages hold the running records and the recent ones only, however long the tenant lives.
/// A roll-up writes the totals with the ids it counted first, then removes those records, then forgets the ids: a
/// roll-up cut short leaves records known as counted, skipped by invoices and removed at the next roll-up.
/// </summary>
public sealed partial class MeteringGrain(
    OfferCatalogue catalogue,
    TimeProvider clock,
    ILogger<MeteringGrain> logger,
    [PersistentState("metering", StorageNames.State)] IPersistentState<MeteringState> state) : Grain, IMeteringGrain
{
    /// <summary>The storage state name of the record pages.</summary>
    public const string RecordPagesState = "meteringRecords";

    private EntryPages<UsageRecord> _records = null!;

    /// <summary>The month start before which records were last rolled up by this activation.</summary>
    private DateTimeOffset _rolledUpBefore;

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
        await RollUpAsync();
    }

    public async Task StartAsync(UsageRecord record)
    {
        if (_records.ContainsKey(record.InstanceId)) return;
        await _records.SetAsync(record.InstanceId, record with { End = null }, this);
        if (RollUpHorizon(clock.GetUtcNow()) == _rolledUpBefore) return;
        try
        {
            await RollUpAsync();
        }
        catch (Exception e)
        {
            // The start is stored; the roll-up is tried again at the next activation (a failed write ends this one).
            LogRollUpFailed(logger, e, this.GetPrimaryKeyString());
        }
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
        var rolledUp = state.State.RolledUp.ToHashSet(StringComparer.Ordinal);
        var fromRecords = _records.Entries.Where(e => !rolledUp.Contains(e.Key)).Select(e => e.Value)
            .Select(r => (r.OfferId, UnitSeconds: UnitSeconds(r, from, to, now)));
        var fromMonth = state.State.Months.TryGetValue(MonthKey(from), out var rolledUpMonth)
            ? rolledUpMonth.Select(m => (OfferId: m.Key, UnitSeconds: m.Value))
            : [];
        var lines = fromRecords.Concat(fromMonth)
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
        return Task.FromResult(new InvoicePreview(this.GetPrimaryKeyString(), MonthKey(from),
            lines, lines.Sum(l => l.Amount)));
    }

    /// <summary>Records are rolled up once they ended before the previous month began: the last month stays as records.</summary>
    private static DateTimeOffset RollUpHorizon(DateTimeOffset now) => MonthStart(now).AddMonths(-1);

    /// <summary>
    /// Removes what an interrupted roll-up left, then counts the records that ended before <see cref="RollUpHorizon"/>
    /// into <see cref="MeteringState.Months"/>, stores that with their ids, and removes them from the pages.
    /// </summary>
    private async Task RollUpAsync()
    {
        var horizon = RollUpHorizon(clock.GetUtcNow());
        if (state.State.RolledUp.Count > 0) await _records.RemoveAllAsync(state.State.RolledUp, this);
        var ended = _records.Entries.Where(e => e.Value.End is { } end && end < horizon).ToList();
        if (ended.Count > 0)
        {
            var (months, rolledUp) = (state.State.Months, state.State.RolledUp);
            (state.State.Months, state.State.RolledUp) = (WithUsage(months, ended.Select(e => e.Value)), [.. ended.Select(e => e.Key)]);
            try
            {
                await state.PersistAsync(this);
            }
            catch
            {
                (state.State.Months, state.State.RolledUp) = (months, rolledUp);
                throw;
            }
            await _records.RemoveAllAsync(state.State.RolledUp, this);
        }
        if (state.State.RolledUp.Count > 0)
        {
            // Only kept while the records may still be in the pages.
            state.State.RolledUp = [];
            await state.PersistAsync(this);
        }
        _rolledUpBefore = horizon;
    }

    /// <summary><paramref name="months"/> with the unit-seconds of <paramref name="records"/> (all ended) added to each month they ran in.</summary>
    private static Dictionary<string, Dictionary<string, decimal>> WithUsage(Dictionary<string, Dictionary<string, decimal>> months, IEnumerable<UsageRecord> records)
    {
        var result = months.ToDictionary(m => m.Key, m => new Dictionary<string, decimal>(m.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var record in records)
        {
            var end = record.End!.Value;
            for (var from = MonthStart(record.Start); from < end; from = from.AddMonths(1))
            {
                var unitSeconds = UnitSeconds(record, from, from.AddMonths(1), end);
                if (unitSeconds <= 0) continue;
                if (!result.TryGetValue(MonthKey(from), out var offers)) result[MonthKey(from)] = offers = new(StringComparer.Ordinal);
                offers[record.OfferId] = offers.GetValueOrDefault(record.OfferId) + unitSeconds;
            }
        }
        return result;
    }

    private static DateTimeOffset MonthStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static string MonthKey(DateTimeOffset monthStart) => monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metering of {TenantId}: rolling up past months' records failed; tried again at the next activation")]
    private static partial void LogRollUpFailed(ILogger logger, Exception exception, string tenantId);

    /// <summary>The open record <paramref name="id"/> closed at <paramref name="end"/> (never before its start); null when there is nothing to close.</summary>
    private UsageRecord? Closed(string id, DateTimeOffset end) =>
        _records.TryGetValue(id, out var record) && record.End is null ? record with { End = end < record.Start ? record.Start : end } : null;

    /// <summary>Seconds × seats of <paramref name="record"/> between <paramref name="from"/> and <paramref name="to"/>, a running one counted up to <paramref name="now"/>: what invoices and roll-ups both count.</summary>
    private static decimal UnitSeconds(UsageRecord record, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now) =>
        Seconds(Max(record.Start, from), Min(record.End ?? now, to)) * (decimal)record.Seats;

    private static long Seconds(DateTimeOffset start, DateTimeOffset end) => end > start ? (long)(end - start).TotalSeconds : 0;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
