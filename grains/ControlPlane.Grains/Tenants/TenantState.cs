using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tenants;

[GenerateSerializer, Alias("cp.TenantState")]
public sealed class TenantState
{
    [Id(0)] public TenantSpec? Spec { get; set; }
    [Id(1)] public DateTimeOffset CreateTime { get; set; }
    /// <summary>Instances as an earlier version stored them, whole: moved into pages (TenantGrain) at activation.</summary>
    [Id(2)] public Dictionary<string, TenantInstance> Instances { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The tenant's services (id → name), from order until cancelled.</summary>
    [Id(3)] public Dictionary<string, string> Services { get; set; } = new(StringComparer.Ordinal);
}
