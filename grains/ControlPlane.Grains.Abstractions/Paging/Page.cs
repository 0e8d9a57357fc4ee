using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Paging;

/// <summary>One page of a listing; <see cref="NextPageToken"/> is empty on the last page.</summary>
[GenerateSerializer, Immutable, Alias("cp.Page`1")]
public sealed record Page<T>(
    [property: Id(0)] ImmutableArray<T> Items,
    [property: Id(1)] string NextPageToken,
    [property: Id(2)] int TotalSize);
