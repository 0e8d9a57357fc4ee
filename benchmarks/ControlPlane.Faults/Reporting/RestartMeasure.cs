namespace ControlPlane.Faults.Reporting;

/// <summary>A silo started again, and how long until its gateway acknowledged a request (null: it did not in the run).</summary>
public sealed record RestartMeasure(int Silo, DateTimeOffset Started, string Why, double? ServingAfterSeconds);
