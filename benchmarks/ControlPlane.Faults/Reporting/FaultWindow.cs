namespace ControlPlane.Faults.Reporting;

/// <summary>A fault and the longest span without acknowledgement that overlapped it (client-visible unavailability).</summary>
public sealed record FaultWindow(string Fault, DateTimeOffset Start, DateTimeOffset End, double WindowSeconds);
