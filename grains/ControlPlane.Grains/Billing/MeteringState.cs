using ControlPlane.Grains.Abstractions.Billing;

namespace ControlPlane.Grains.Billing;

/// <summary>
/// A tenant's metering state besides its record pages: the usage of closed past months rolled up, and the records of the
/// last roll-up (their pages may still hold them if its removal was interrupted). <see cref="Records"/> is what an
/// earlier version stored whole, moved into pages (MeteringGrain) at activation.
/// </summary>
[GenerateSerializer, Alias("cp.MeteringState")]
public sealed class MeteringState
{
    [Id(0)] public Dictionary<string, UsageRecord> Records { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Unit-seconds (seconds × seats) of the rolled-up records, by month ("yyyy-MM", UTC), then by offer.</summary>
    [Id(1)] public Dictionary<string, Dictionary<string, decimal>> Months { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The ids of the records the last roll-up counted in <see cref="Months"/>.</summary>
    [Id(2)] public List<string> RolledUp { get; set; } = [];
}
