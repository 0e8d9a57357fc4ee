using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Billing;

/// <summary>What a tenant's invoice for a month would say now: its lines and their total (EUR).</summary>
[GenerateSerializer, Immutable, Alias("cp.InvoicePreview")]
public sealed record InvoicePreview(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Month,
    [property: Id(2)] ImmutableArray<InvoiceLine> Lines,
    [property: Id(3)] decimal Total);
