namespace ControlPlane.Grains.Abstractions.Services;

/// <summary>A validated OrderService request. <see cref="Seats"/> is 0 for an offer not priced per seat.</summary>
[GenerateSerializer, Immutable, Alias("cp.OrderServiceCommand")]
public sealed record OrderServiceCommand(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string OfferId,
    [property: Id(4)] string Region,
    [property: Id(5)] int Seats)
{
    /// <summary>The most seats one service may have.</summary>
    public const int MaxSeats = 1_000_000;

    public string Fingerprint => $"order-service|{TenantId}|{Name}|{OfferId}|{Region}|{Seats}";

    /// <summary>The name of the service's <paramref name="index"/>th instance among the tenant's instances.</summary>
    public string MemberName(int index) => $"svc:{Name}:{index + 1}";
}
