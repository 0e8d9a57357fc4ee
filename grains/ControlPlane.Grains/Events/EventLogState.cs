using ControlPlane.Grains.Abstractions.Events;

namespace ControlPlane.Grains.Events;

/// <summary>The event log: its newest events (oldest first), the last sequence number given, and each ops centre's standing.</summary>
[GenerateSerializer, Alias("cp.EventLogState")]
public sealed class EventLogState
{
    [Id(0)] public long LastSequence { get; set; }
    [Id(1)] public List<PlatformEvent> Events { get; set; } = [];
    [Id(2)] public Dictionary<string, OpsCentreStanding> Centres { get; set; } = new(StringComparer.Ordinal);
}
