using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;

namespace ControlPlane.Replay;

/// <summary>
/// ControlPlane's own placement: the real <see cref="CapacityIndex"/>, used as the zone grain
/// uses it. The index proposes (<see cref="CapacityIndex.Choose"/>), the server decides (here the
/// simulated cluster, which accounts each GPU apart), a refusal is learnt
/// (<see cref="CapacityIndex.Update"/>) and the next proposal excludes that server, up to
/// <see cref="PlacementLimits.MaxAttempts"/> servers a request (or, for comparison, without a limit).
/// </summary>
/// <remarks>
/// The index knows one number of GPUs per server: it is fed thousandths of a GPU, the server's
/// GPUs pooled, and cannot tell that 4 × 300 free thousandths do not hold a 460 share. Such a
/// proposal is what the simulated server refuses. A request that accepts several GPU models gets
/// the servers of the other models excluded up front (the index takes one model).
/// </remarks>
public sealed class ControlPlanePolicy : IPlacementPolicy
{
    private const string Zone = "openb";

    private readonly SimulatedCluster _cluster;
    private readonly int _maxAttempts;
    private readonly CapacityIndex _index;
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _otherModels = new(StringComparer.Ordinal);
    private int _refusals;
    private int _mostRefusals;
    private int _gaveUp;

    /// <param name="cluster">The servers, which decide.</param>
    /// <param name="unlimited">Retry until the index has no server left, instead of stopping at the zone grain's limit.</param>
    public ControlPlanePolicy(SimulatedCluster cluster, bool unlimited = false)
    {
        _cluster = cluster;
        _maxAttempts = unlimited ? int.MaxValue : PlacementLimits.MaxAttempts;
        Name = unlimited ? "ControlPlane, no retry limit" : "ControlPlane";
        var servers = new List<ServerSpec>(cluster.Count);
        for (var s = 0; s < cluster.Count; s++)
        {
            var node = cluster.Node(s);
            _positions.Add(node.Name, s);
            servers.Add(new ServerSpec(node.Name, Zone, Zone, Zone, Zone, node.Model.Length > 0 ? $"gpu-{node.Model}" : "cpu", node.Model,
                new ResourceAmount(node.CpuMilli, node.MemoryMib, node.Gpus * 1000L)));
        }
        _index = new CapacityIndex(servers);
    }

    public string Name { get; }

    public string Note => _maxAttempts == int.MaxValue
        ? $"{Name}: {_refusals} refusals (at most {_mostRefusals} for one request), each learnt and retried until a server accepted or none was left."
        : $"{Name}: the index proposed {_refusals} servers whose GPUs, counted one by one, could not take the share " +
            $"(at most {_mostRefusals} for one request); each refusal was learnt and retried as the zone grain does " +
            $"(up to {PlacementLimits.MaxAttempts} servers a request); {_gaveUp} requests were rejected for reaching that limit.";

    public int Choose(TracePod pod)
    {
        var need = new ResourceAmount(pod.CpuMilli, pod.MemoryMib, pod.TotalGpuMilli);
        var model = pod.NumGpu > 0 && pod.GpuModels.Count == 1 ? pod.GpuModels[0] : "";
        HashSet<string>? excluded = pod.NumGpu > 0 && pod.GpuModels.Count > 1 ? [.. OtherModels(pod.GpuModels)] : null;
        for (var attempt = 0; attempt < _maxAttempts; attempt++)
        {
            var id = _index.Choose(need, model, excluded);
            if (id is null) return -1;
            var server = _positions[id];
            if (_cluster.Fits(server, pod))
            {
                _mostRefusals = Math.Max(_mostRefusals, attempt);
                return server;
            }
            _refusals++;
            Learn(server);
            (excluded ??= new HashSet<string>(StringComparer.Ordinal)).Add(id);
        }
        _mostRefusals = _maxAttempts;
        _gaveUp++;
        return -1;
    }

    public void Learn(int server) =>
        _index.Update(_cluster.Node(server).Name, _cluster.PooledFree(server), _cluster.PodsOn(server));

    private HashSet<string> OtherModels(IReadOnlyList<string> models)
    {
        var key = string.Join('|', models);
        if (!_otherModels.TryGetValue(key, out var others))
        {
            others = new HashSet<string>(
                _index.Servers.Where(s => s.GpuModel.Length > 0 && !models.Contains(s.GpuModel)).Select(s => s.Id), StringComparer.Ordinal);
            _otherModels.Add(key, others);
        }
        return others;
    }
}
