using System.Collections.Immutable;

namespace ControlPlane.Model;

[GenerateSerializer, Immutable, Alias("cp.TenantSpec")]
public sealed record TenantSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] ImmutableArray<string> AllowedRegions,
    [property: Id(3)] ResourceAmount Quota);
