namespace ControlPlane.Bench;

/// <summary>The benchmark cannot go on (a silo that does not start, an unreachable cluster); exit code 1.</summary>
public sealed class BenchException(string message, Exception? inner = null) : Exception(message, inner);
