namespace ControlPlane.Grains.Abstractions.Billing;

/// <summary>
/// A tenant's usage (key: tenant id): one record per instance, opened when it turns RUNNING and
/// closed when it is deleted. Both calls are idempotent by instance id — the first start and the
/// first end are kept — so an operation replayed after a crash never counts anything twice.
/// </summary>
public interface IMeteringGrain : IGrainWithStringKey
{
    Task StartAsync(UsageRecord record);

    Task EndAsync(string instanceId, DateTimeOffset end);

    /// <summary>Closes record <paramref name="endId"/> and opens <paramref name="next"/> at its start, in one step (a change of seats). Idempotent.</summary>
    Task ReplaceAsync(string endId, UsageRecord next);

    /// <summary>The invoice of a month (UTC) as it stands: usage clipped to the month, records still open counted until now.</summary>
    Task<InvoicePreview> GetInvoicePreviewAsync(int year, int month);
}
