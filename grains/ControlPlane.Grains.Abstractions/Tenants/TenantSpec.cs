using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;

namespace ControlPlane.Grains.Abstractions.Tenants;

[GenerateSerializer, Immutable, Alias("cp.TenantSpec")]
public sealed record TenantSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] ImmutableArray<string> AllowedRegions,
    [property: Id(3)] ResourceAmount Quota)
{
    /// <summary>Residency policy: empty, anywhere in the EU (always the limit); a country code, every resource in that country.</summary>
    [Id(4)] public string DataCountry { get; init; } = "";

    /// <summary>Residency policy: disaster-recovery copies in the country of the instance they copy.</summary>
    [Id(5)] public bool InCountryDr { get; init; }
}
