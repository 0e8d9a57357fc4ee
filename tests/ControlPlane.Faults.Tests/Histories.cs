using ControlPlane.Faults.Load;

namespace ControlPlane.Faults.Tests;

/// <summary>Requests as the load records them, at seconds after a fixed start.</summary>
internal static class Histories
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 3, 20, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    /// <summary>A create sent at <paramref name="sent"/> and answered OK at <paramref name="answered"/> by gateway <paramref name="gateway"/>.</summary>
    public static RequestRecord Acked(string id, double sent, double answered, int gateway = 0, RequestKind kind = RequestKind.Create, string? instance = null) => new()
    {
        RequestId = id, Kind = kind, TenantId = "t1", Sent = At(sent), Answered = At(answered), Status = "OK", Gateway = gateway,
        OperationId = "op-" + id, InstanceId = instance ?? "i-" + id,
        Attempts = [new Attempt(gateway, At(sent), At(answered), "OK", null)],
    };

    /// <summary>A request whose attempts all ended with <paramref name="status"/>, never acknowledged.</summary>
    public static RequestRecord Failed(string id, double sent, string status, int attempts = 1) => new()
    {
        RequestId = id, Kind = RequestKind.Create, TenantId = "t1", Sent = At(sent), Status = RequestRecord.NoAnswer,
        Attempts = [.. Enumerable.Range(0, attempts).Select(a => new Attempt(a % 3, At(sent + a), At(sent + a + 0.5), status, "SOME_REASON"))],
    };
}
