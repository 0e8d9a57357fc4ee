using ControlPlane.Domain.Topology;

namespace ControlPlane.Domain.Capacity;

/// <summary>
/// The free capacity of every server of a zone, kept by the zone so that placement reads one
/// object instead of calling thousands of server grains. Only a server grain grants a
/// reservation: the index proposes, the server decides, and the index learns the answer.
/// </summary>
public sealed class CapacityIndex
{
    private readonly ServerSpec[] _servers;
    private readonly ResourceAmount[] _free;
    private readonly string[][] _instances;
    private readonly Dictionary<string, int> _positions;
    private readonly Dictionary<string, string> _serverOfInstance = new(StringComparer.Ordinal);

    public CapacityIndex(IReadOnlyList<ServerSpec> servers)
    {
        _servers = [.. servers.OrderBy(s => s.Id, StringComparer.Ordinal)];
        _free = [.. _servers.Select(s => s.Capacity)];
        _instances = [.. _servers.Select(_ => Array.Empty<string>())];
        _positions = new Dictionary<string, int>(_servers.Length, StringComparer.Ordinal);
        for (var i = 0; i < _servers.Length; i++) _positions[_servers[i].Id] = i;
        Total = _servers.Aggregate(ResourceAmount.Zero, (sum, s) => sum + s.Capacity);
        Free = Total;
    }

    public int Count => _servers.Length;
    public ResourceAmount Total { get; }
    public ResourceAmount Free { get; private set; }
    public int InstanceCount => _serverOfInstance.Count;

    public IEnumerable<string> InstanceIds => _serverOfInstance.Keys;

    public IReadOnlyList<ServerSpec> Servers => _servers;

    public bool Contains(string serverId) => _positions.ContainsKey(serverId);

    /// <summary>The server at <paramref name="position"/> (in id order), what it has free and how many instances it holds.</summary>
    public (ServerSpec Server, ResourceAmount Free, int InstanceCount) At(int position) =>
        (_servers[position], _free[position], _instances[position].Length);

    /// <summary>The server that holds an instance, if it is in this zone.</summary>
    public string? ServerOf(string instanceId) => _serverOfInstance.GetValueOrDefault(instanceId);

    /// <summary>Records what a server grain reported about itself.</summary>
    public void Update(string serverId, ResourceAmount free, IEnumerable<string> instanceIds)
    {
        var i = _positions[serverId];
        Free = Free - _free[i] + free;
        _free[i] = free;
        // An instance that moved on to another server is no longer this server's to forget.
        foreach (var gone in _instances[i])
        {
            if (_serverOfInstance.TryGetValue(gone, out var holder) && holder == serverId) _serverOfInstance.Remove(gone);
        }
        _instances[i] = [.. instanceIds];
        foreach (var held in _instances[i]) _serverOfInstance[held] = serverId;
    }

    /// <summary>
    /// The server for <paramref name="need"/> among those that can hold it (and the GPU model, if
    /// any), in this order of preference:
    /// <list type="number">
    /// <item>for CPU-only work, servers without GPUs: GPU servers take it only when nothing else fits;</item>
    /// <item>servers that already hold something before empty ones, so that empty servers stay
    /// empty (fewer servers in use, whole servers left for large requests);</item>
    /// <item>among servers in use, best fit: the one left with the least spare capacity (cores,
    /// memory and GPUs, each as a share of the server's capacity);</item>
    /// <item>among empty servers, the one that could hold the most requests of this shape, then the
    /// one that would have the least spare capacity once so filled: a large server is opened before
    /// a small one, and a server of another shape (memory-heavy, GPU) is kept for the requests it suits.</item>
    /// </list>
    /// Ties go to the first server in id order. One pass over the zone's servers.
    /// </summary>
    public string? Choose(ResourceAmount need, string gpuModel, ISet<string>? exclude = null)
    {
        var best = -1;
        (int Tier, double Score, double Spare) bestRank = (int.MaxValue, 0, 0);
        for (var i = 0; i < _servers.Length; i++)
        {
            var server = _servers[i];
            if (!_free[i].Covers(need)) continue;
            if (need.Gpus > 0 && gpuModel.Length > 0 && server.GpuModel != gpuModel) continue;
            if (exclude is not null && exclude.Contains(server.Id)) continue;

            var inUse = _instances[i].Length > 0 || _free[i] != server.Capacity;
            var tier = (need.Gpus == 0 && server.Capacity.Gpus > 0 ? 2 : 0) + (inUse ? 0 : 1);
            if (tier > bestRank.Tier) continue;
            var copies = inUse ? 1 : Copies(_free[i], need);
            var rank = (tier, inUse ? 0 : -copies, Spare(_free[i], need, copies, server.Capacity));
            if (rank.CompareTo(bestRank) < 0)
            {
                best = i;
                bestRank = rank;
            }
        }
        return best < 0 ? null : _servers[best].Id;
    }

    /// <summary>How many requests of <paramref name="need"/>'s shape <paramref name="free"/> holds, a fraction counted as such.</summary>
    private static double Copies(ResourceAmount free, ResourceAmount need)
    {
        var copies = double.PositiveInfinity;
        if (need.Cores > 0) copies = Math.Min(copies, (double)free.Cores / need.Cores);
        if (need.MemoryMib > 0) copies = Math.Min(copies, (double)free.MemoryMib / need.MemoryMib);
        if (need.Gpus > 0) copies = Math.Min(copies, (double)free.Gpus / need.Gpus);
        return double.IsPositiveInfinity(copies) ? 1 : copies;
    }

    /// <summary>What would be left of <paramref name="free"/> after <paramref name="copies"/> × <paramref name="need"/>, as shares of the capacity, summed.</summary>
    private static double Spare(ResourceAmount free, ResourceAmount need, double copies, ResourceAmount capacity) =>
        Share(free.Cores - copies * need.Cores, capacity.Cores)
        + Share(free.MemoryMib - copies * need.MemoryMib, capacity.MemoryMib)
        + Share(free.Gpus - copies * need.Gpus, capacity.Gpus);

    private static double Share(double amount, long capacity) => capacity > 0 ? amount / capacity : 0;
}
