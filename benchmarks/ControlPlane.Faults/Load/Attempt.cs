namespace ControlPlane.Faults.Load;

/// <summary>
/// One try of a request at one gateway (0-based): when it left, when it ended, how (a gRPC status name),
/// the ErrorInfo reason if any, and the status message when it failed (cut at 200 characters).
/// </summary>
public sealed record Attempt(int Gateway, DateTimeOffset Sent, DateTimeOffset Ended, string Status, string? Reason, string? Detail = null);
