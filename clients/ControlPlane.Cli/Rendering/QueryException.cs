namespace ControlPlane.Cli.Rendering;

/// <summary>A --query expression that cannot be applied: a usage error.</summary>
public sealed class QueryException(string message) : Exception(message);
