namespace ControlPlane.Model;

/// <summary>One instance's use of an offer: from when it turned RUNNING until it was deleted (null: still running).</summary>
[GenerateSerializer, Immutable, Alias("cp.UsageRecord")]
public sealed record UsageRecord(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string OfferId,
    [property: Id(2)] string Region,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] DateTimeOffset? End);
