using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;

namespace ControlPlane.Grains.Abstractions.Operations;

/// <summary>
/// Where operations are listed from: each operation is recorded in its tenant's index and in one of
/// <see cref="Shards"/> platform-wide shards (by a hash of its id), so that neither a busy tenant nor the whole platform
/// funnels through one grain. A listing reads the tenant's index, or merges the shards page by page.
/// </summary>
public static class OperationIndex
{
    public const int Shards = 16;

    public static string TenantKey(string tenantId) => "tenant:" + tenantId;

    public static string ShardKey(int shard) => "shard:" + shard.ToString(CultureInfo.InvariantCulture);

    public static int ShardOf(string operationId) => SHA256.HashData(Encoding.UTF8.GetBytes(operationId))[0] % Shards;

    /// <summary>Ordinal order of these keys is newest first, then by id: stable while operations change state.</summary>
    public static string SortKey(OperationInfo o) =>
        (DateTimeOffset.MaxValue.UtcTicks - o.CreateTime.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + ":" + o.Id;

    /// <summary>One page of the operations of <paramref name="tenantId"/> (empty: every tenant's), newest first.</summary>
    public static async Task<Page<OperationInfo>> ListAsync(this IGrainFactory grains, string tenantId, OperationFilter filter, int pageSize, string pageToken)
    {
        var after = PageToken.Parse(pageToken);
        var size = pageSize == 0 ? Validate.DefaultPageSize : pageSize;
        var keys = tenantId.Length > 0 ? [TenantKey(tenantId)] : Enumerable.Range(0, Shards).Select(ShardKey);
        var pages = await Task.WhenAll(keys.Select(k => grains.GetGrain<IOperationIndexGrain>(k).ListAsync(filter, size, after)));
        var merged = pages.SelectMany(p => p.Items).OrderBy(SortKey, StringComparer.Ordinal).ToList();
        var items = merged.Take(size).ToArray();
        var more = merged.Count > size || pages.Any(p => p.NextPageToken.Length > 0);
        var shown = (await Task.WhenAll(items.Select(o => FreshAsync(grains, o)))).Where(filter.Keeps).ToArray();
        return new Page<OperationInfo>([.. shown], more && items.Length > 0 ? PageToken.For(SortKey(items[^1])) : "", shown.Length);
    }

    /// <summary>
    /// An unfinished entry as its operation has it now: an index may have missed an operation's last change (a batch
    /// lost with its silo), and would show it unfinished until trimmed. The operation answers from memory
    /// (<see cref="IOperationGrain.GetAsync"/> interleaves); if it cannot answer, the index's form is shown.
    /// </summary>
    private static async Task<OperationInfo> FreshAsync(IGrainFactory grains, OperationInfo indexed)
    {
        if (indexed.IsTerminal) return indexed;
        try
        {
            return await grains.GetGrain<IOperationGrain>(indexed.Id).GetAsync() ?? indexed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return indexed;
        }
    }
}
