namespace ControlPlane.Faults.Analysis;

/// <summary>A fault the driver injected: what, from when to when (equal for an instant fault such as kill -9).</summary>
public sealed record FaultEvent(string Name, DateTimeOffset Start, DateTimeOffset End);
