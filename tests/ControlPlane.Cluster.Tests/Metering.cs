using System.Globalization;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cluster.Tests;

/// <summary>Checks an invoice preview against the operations that started and ended the usage it bills.</summary>
public static class Metering
{
    /// <summary>One use of an offer: it began between <see cref="AckedBy"/>'s creation and end; <see cref="Units"/> is its seats (1 for hourly offers).</summary>
    public sealed record Use(string OfferId, Operation AckedBy, int Units = 1);

    /// <summary>
    /// Each offer's billed quantity is what its uses ran until now, counted once: at least the time
    /// since each use's operation ended (no gap, whatever happened to the silos in between), at most
    /// the time since each began (a use counted twice would exceed it).
    /// </summary>
    public static async Task AssertEachUseMeteredOnceAsync(this LocalCluster cluster, string tenant, IReadOnlyCollection<Use> uses)
    {
        var before = DateTimeOffset.UtcNow;
        var month = new DateTimeOffset(before.Year, before.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var invoice = await Calls.RetryAsync(1, silo => cluster.Billing(silo).GetInvoicePreviewAsync(
            new GetInvoicePreviewRequest { TenantId = tenant, Month = before.ToString("yyyy-MM", CultureInfo.InvariantCulture) }, deadline: Calls.Deadline()).ResponseAsync);
        var after = DateTimeOffset.UtcNow;
        var monthSeconds = (decimal)(month.AddMonths(1) - month).TotalSeconds;
        static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

        Assert.Equal(uses.Select(u => u.OfferId).Distinct().Order(StringComparer.Ordinal), invoice.Lines.Select(l => l.OfferId));
        foreach (var line in invoice.Lines)
        {
            var own = uses.Where(u => u.OfferId == line.OfferId).ToList();
            var quantity = decimal.Parse(line.Quantity, CultureInfo.InvariantCulture);
            var unitSeconds = line.Unit == PriceUnit.Hour ? quantity * 3600 : quantity * monthSeconds;
            // Usage is counted in whole seconds per record; the quantity is shown to 6 decimals.
            var lowest = own.Sum(u => u.Units * ((decimal)(before - Max(u.AckedBy.EndTime.ToDateTimeOffset(), month)).TotalSeconds - 1)) - 2;
            var highest = own.Sum(u => u.Units * (decimal)(after - Max(u.AckedBy.CreateTime.ToDateTimeOffset(), month)).TotalSeconds) + 2;
            Assert.True(unitSeconds >= lowest && unitSeconds <= highest,
                $"{tenant}: {line.OfferId} billed {unitSeconds:0.#} unit-seconds for {own.Count} uses; expected {lowest:0.#} to {highest:0.#}");
        }
    }
}
