using ControlPlane.Model;

namespace ControlPlane.Grains;

/// <summary>A tenant's usage records, by instance id.</summary>
[GenerateSerializer, Alias("cp.MeteringState")]
public sealed class MeteringState
{
    [Id(0)] public Dictionary<string, UsageRecord> Records { get; set; } = new(StringComparer.Ordinal);
}
