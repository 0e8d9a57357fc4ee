using System.Globalization;
using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Tenants;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>Invoice previews, computed by the tenant's metering grain.</summary>
public sealed class BillingService(IGrainFactory grains) : V1.Billing.BillingBase
{
    public override async Task<V1.InvoicePreview> GetInvoicePreview(V1.GetInvoicePreviewRequest request, ServerCallContext context)
    {
        var month = DateTime.TryParseExact(request.Month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : (DateTime?)null;
        Validate.ThrowIfAny(Validate.TenantId(request.TenantId),
            ("month", month is null ? "month must be YYYY-MM, e.g. 2026-11" : null));
        await grains.GetGrain<ITenantGrain>(request.TenantId).GetAsync();
        return (await grains.GetGrain<IMeteringGrain>(request.TenantId).GetInvoicePreviewAsync(month!.Value.Year, month.Value.Month)).ToProto();
    }
}
