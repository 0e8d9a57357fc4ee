using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Paging;

namespace ControlPlane.Grains.Abstractions.Operations;

/// <summary>
/// A bounded index of operations, newest first (key: <see cref="OperationIndex.TenantKey"/> for one tenant's,
/// <see cref="OperationIndex.ShardKey"/> for one of the shards holding every tenant's). It keeps every unfinished operation
/// and the most recent finished ones, up to a cap; it is a view kept up to date within a second or so of each change,
/// never the authority on an operation (<see cref="IOperationGrain.GetAsync"/> is).
/// </summary>
public interface IOperationIndexGrain : IGrainWithStringKey
{
    /// <summary>Records the latest known form of each operation (an older form than the one held is ignored).</summary>
    Task RecordAsync(ImmutableArray<OperationInfo> operations);

    /// <summary>
    /// Up to <paramref name="pageSize"/> operations the filter keeps, newest first, after the one whose
    /// <see cref="OperationIndex.SortKey"/> is <paramref name="after"/> (null: from the newest); NextPageToken is non-empty when more follow.
    /// </summary>
    Task<Page<OperationInfo>> ListAsync(OperationFilter filter, int pageSize, string? after);
}
