using System.Text.Json.Serialization;

namespace ControlPlane.Faults.Load;

/// <summary>
/// The history of one request as the client saw it: its id (kept across retries), what it asked,
/// every attempt, and how it ended — <see cref="Status"/> is the final answer's status name ("OK"
/// is an acknowledgement), or <see cref="NoAnswer"/> when 60 s of retries got nothing definite.
/// </summary>
public sealed class RequestRecord
{
    public const string NoAnswer = "NO_ANSWER";

    public required string RequestId { get; init; }
    public required RequestKind Kind { get; init; }
    public required string TenantId { get; init; }

    /// <summary>The instance a delete targets, or the one an acknowledged create made.</summary>
    public string? InstanceId { get; set; }

    /// <summary>The gateway (0-based) of the last attempt.</summary>
    public int Gateway { get; set; }
    public DateTimeOffset Sent { get; init; }
    public DateTimeOffset? Answered { get; set; }
    public string? Status { get; set; }
    public string? Reason { get; set; }
    public string? OperationId { get; set; }
    public List<Attempt> Attempts { get; init; } = [];

    [JsonIgnore]
    public bool Acknowledged => Status == "OK";
}
