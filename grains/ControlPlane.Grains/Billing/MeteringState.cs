using ControlPlane.Grains.Abstractions.Billing;

namespace ControlPlane.Grains.Billing;

/// <summary>A tenant's usage records, by instance id, as an earlier version stored them whole: moved into pages (MeteringGrain) at activation.</summary>
[GenerateSerializer, Alias("cp.MeteringState")]
public sealed class MeteringState
{
    [Id(0)] public Dictionary<string, UsageRecord> Records { get; set; } = new(StringComparer.Ordinal);
}
