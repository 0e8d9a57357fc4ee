namespace ControlPlane.Faults.Analysis;

/// <summary>A silo (1-based) the driver started again after a fault, and when it started it.</summary>
public sealed record SiloRestart(int Silo, DateTimeOffset Started, string Why);
