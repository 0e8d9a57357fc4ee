using ControlPlane.Grains.Abstractions.Paging;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Tenants;

/// <summary>
/// One shard of the tenant directory (key: its number, from 0 to <see cref="Count"/> − 1): the ids of the tenants whose
/// id hashes to it (<see cref="Of"/>). Creating a tenant writes its shard alone, a 256th of the directory.
/// </summary>
public interface ITenantDirectoryShardGrain : IGrainWithIntegerKey
{
    const int Count = 256;

    /// <summary>The shard of <paramref name="tenantId"/>: FNV-1a of its UTF-16 code units, the same in every process.</summary>
    static int Of(string tenantId)
    {
        var hash = 2166136261u;
        foreach (var c in tenantId) hash = (hash ^ c) * 16777619u;
        return (int)(hash % Count);
    }

    Task AddAsync(string tenantId);

    /// <summary>
    /// At most <paramref name="limit"/> of the shard's ids after <paramref name="after"/> (all when null), in ordinal order;
    /// the page's total is the shard's, and its next token is not empty when more ids follow.
    /// </summary>
    [ReadOnly]
    Task<Page<string>> ListAsync(string? after, int limit);
}
