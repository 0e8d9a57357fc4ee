using ControlPlane.Model;
using ControlPlane.Topology;

namespace ControlPlane.Scheduling;

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

    public IReadOnlyList<ServerSpec> Servers => _servers;

    public bool Contains(string serverId) => _positions.ContainsKey(serverId);

    public ServerSummary Summary(int position)
    {
        var s = _servers[position];
        return new ServerSummary(s.Id, s.Zone, s.Sku, s.GpuModel, s.Capacity, _free[position], _instances[position].Length);
    }

    /// <summary>The server that holds an instance, if it is in this zone.</summary>
    public string? ServerOf(string instanceId) => _serverOfInstance.GetValueOrDefault(instanceId);

    /// <summary>Records what a server grain reported about itself.</summary>
    public void Update(string serverId, ServerUsage usage)
    {
        var i = _positions[serverId];
        Free = Free - _free[i] + usage.Free;
        _free[i] = usage.Free;
        // An instance that moved on to another server is no longer this server's to forget.
        foreach (var gone in _instances[i])
        {
            if (_serverOfInstance.TryGetValue(gone, out var holder) && holder == serverId) _serverOfInstance.Remove(gone);
        }
        _instances[i] = [.. usage.InstanceIds];
        foreach (var held in _instances[i]) _serverOfInstance[held] = serverId;
    }

    /// <summary>
    /// Best fit: among servers that can hold <paramref name="need"/> (and the GPU model, if any),
    /// the one left with the least spare capacity, so that large holes stay open for large
    /// requests. Servers with GPUs are used for CPU-only requests only when nothing else fits.
    /// </summary>
    public string? Choose(ResourceAmount need, string gpuModel, ISet<string>? exclude = null)
    {
        var best = -1;
        var bestScore = double.MaxValue;
        var bestUsesGpuServer = true;
        for (var i = 0; i < _servers.Length; i++)
        {
            var server = _servers[i];
            if (!_free[i].Covers(need)) continue;
            if (need.Gpus > 0 && gpuModel.Length > 0 && server.GpuModel != gpuModel) continue;
            if (exclude is not null && exclude.Contains(server.Id)) continue;

            var usesGpuServer = need.Gpus == 0 && server.Capacity.Gpus > 0;
            var left = _free[i] - need;
            var score = (double)left.Cores / server.Capacity.Cores + (double)left.MemoryMib / server.Capacity.MemoryMib;
            if ((bestUsesGpuServer && !usesGpuServer) || (usesGpuServer == bestUsesGpuServer && score < bestScore))
            {
                best = i;
                bestScore = score;
                bestUsesGpuServer = usesGpuServer;
            }
        }
        return best < 0 ? null : _servers[best].Id;
    }
}
