using ControlPlane.Grains.Abstractions.Paging;

namespace ControlPlane.Grains.Abstractions.Events;

/// <summary>
/// A page of the event log: only events of <see cref="Kind"/> (null: all) recorded at or after
/// <see cref="Since"/> (null: all), newest first unless <see cref="OldestFirst"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.EventQuery")]
public sealed record EventQuery(
    [property: Id(0)] PlatformEventKind? Kind,
    [property: Id(1)] DateTimeOffset? Since,
    [property: Id(2)] bool OldestFirst,
    [property: Id(3)] int PageSize,
    [property: Id(4)] string? PageToken);
