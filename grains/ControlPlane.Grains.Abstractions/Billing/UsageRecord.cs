namespace ControlPlane.Grains.Abstractions.Billing;

/// <summary>
/// One use of an offer: an instance from when it turned RUNNING until it was deleted, or a service
/// from when it turned ACTIVE until it was cancelled (<see cref="End"/> null: still running). The
/// record's id is the instance's or service's id; a change of seats closes one record and opens
/// the next ("svc-…#2").
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.UsageRecord")]
public sealed record UsageRecord(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string OfferId,
    [property: Id(2)] string Region,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] DateTimeOffset? End)
{
    /// <summary>Seats, for a per-seat offer; 1 otherwise.</summary>
    [Id(5)] public int Seats { get; init; } = 1;
}
