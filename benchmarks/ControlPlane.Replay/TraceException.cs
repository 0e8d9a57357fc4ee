namespace ControlPlane.Replay;

/// <summary>The trace cannot be read: the message names the folder, file or line.</summary>
public sealed class TraceException(string message) : Exception(message);
