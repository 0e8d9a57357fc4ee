using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Catalogue;

namespace ControlPlane.Grains.Abstractions.Services;

/// <summary>
/// A service a tenant ordered from the catalogue (PaaS, office suite, marketplace application, AI
/// service): the offer, where it runs, its seats (per-seat offers; 0 otherwise), and the instances
/// that carry it (<see cref="InstanceIds"/>, empty for a shared SaaS).
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.ServiceInfo")]
public sealed record ServiceInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string OfferId,
    [property: Id(4)] OfferKind Kind,
    [property: Id(5)] string Region,
    [property: Id(6)] int Seats,
    [property: Id(7)] ServiceState State,
    [property: Id(8)] ImmutableArray<string> InstanceIds,
    [property: Id(9)] DateTimeOffset CreateTime,
    [property: Id(10)] DateTimeOffset UpdateTime,
    [property: Id(11)] string OperationId)
{
    /// <summary>Counts seat changes: the metering record of the current seats is <see cref="UsageId"/>.</summary>
    [Id(12)] public int SeatsVersion { get; init; } = 1;

    public string UsageId => UsageIdOf(SeatsVersion);

    public string UsageIdOf(int version) => version <= 1 ? Id : $"{Id}#{version}";
}
