using System.Collections.Immutable;
using ControlPlane.Domain.Capacity;

namespace ControlPlane.Replay;

/// <summary>
/// The trace's servers, one zone, and what each holds, with per-GPU accounting: a pod that needs
/// 460 thousandths of a GPU takes them from one GPU, never from two. This is the authority on what
/// fits, the same for every policy, as a server grain is the authority in the control plane.
/// </summary>
public sealed class SimulatedCluster
{
    private readonly TraceNode[] _nodes;
    private readonly long[] _freeCpu;
    private readonly long[] _freeMemory;
    private readonly int[][] _freeGpu;
    private readonly List<string>[] _podsOn;
    private readonly Dictionary<int, (int Server, int[] Gpus)> _placements = [];

    public SimulatedCluster(IReadOnlyList<TraceNode> nodes)
    {
        _nodes = [.. nodes];
        _freeCpu = [.. _nodes.Select(n => n.CpuMilli)];
        _freeMemory = [.. _nodes.Select(n => n.MemoryMib)];
        _freeGpu = [.. _nodes.Select(n => Enumerable.Repeat(1000, n.Gpus).ToArray())];
        _podsOn = [.. _nodes.Select(_ => new List<string>())];
    }

    public int Count => _nodes.Length;
    public int ServersInUse { get; private set; }

    public TraceNode Node(int server) => _nodes[server];
    public long FreeCpu(int server) => _freeCpu[server];
    public long FreeMemory(int server) => _freeMemory[server];

    /// <summary>True when the server has the CPU and memory, an accepted GPU model, and enough GPUs each with the share.</summary>
    public bool Fits(int server, TracePod pod)
    {
        if (pod.CpuMilli > _freeCpu[server] || pod.MemoryMib > _freeMemory[server]) return false;
        if (pod.NumGpu == 0) return true;
        if (!pod.AcceptsModel(_nodes[server].Model)) return false;
        var usable = 0;
        foreach (var free in _freeGpu[server]) if (free >= pod.GpuMilli) usable++;
        return usable >= pod.NumGpu;
    }

    /// <summary>Places a pod that fits; shares go to the fullest GPUs that still hold them.</summary>
    public void Place(int server, int podIndex, TracePod pod)
    {
        if (!Fits(server, pod)) throw new InvalidOperationException($"{pod.Name} does not fit on {_nodes[server].Name}");
        var gpus = _freeGpu[server];
        var taken = new int[pod.NumGpu];
        for (var k = 0; k < taken.Length; k++)
        {
            var pick = -1;
            for (var g = 0; g < gpus.Length; g++)
            {
                if (gpus[g] >= pod.GpuMilli && !taken.AsSpan(0, k).Contains(g) && (pick < 0 || gpus[g] < gpus[pick])) pick = g;
            }
            taken[k] = pick;
        }
        foreach (var g in taken) gpus[g] -= pod.GpuMilli;
        _freeCpu[server] -= pod.CpuMilli;
        _freeMemory[server] -= pod.MemoryMib;
        if (_podsOn[server].Count == 0) ServersInUse++;
        _podsOn[server].Add(pod.Name);
        _placements.Add(podIndex, (server, taken));
    }

    /// <summary>Frees what a pod held; returns its server, or -1 when the pod was never placed.</summary>
    public int Release(int podIndex, TracePod pod)
    {
        if (!_placements.Remove(podIndex, out var placement)) return -1;
        var server = placement.Server;
        foreach (var g in placement.Gpus) _freeGpu[server][g] += pod.GpuMilli;
        _freeCpu[server] += pod.CpuMilli;
        _freeMemory[server] += pod.MemoryMib;
        _podsOn[server].Remove(pod.Name);
        if (_podsOn[server].Count == 0) ServersInUse--;
        return server;
    }

    /// <summary>A server's free capacity with its GPUs pooled: thousandths of a core, MiB, thousandths of a GPU.</summary>
    public ResourceAmount PooledFree(int server) => new(_freeCpu[server], _freeMemory[server], _freeGpu[server].Sum());

    public ImmutableArray<string> PodsOn(int server) => [.. _podsOn[server]];

    /// <summary>
    /// Free capacity on servers in use on which none of <paramref name="shapes"/> fits any more:
    /// free, but unusable by any request of the workload, because some dimension is exhausted.
    /// </summary>
    public ResourceTotals Stranded(IReadOnlyList<TracePod> shapes)
    {
        var stranded = default(ResourceTotals);
        for (var s = 0; s < _nodes.Length; s++)
        {
            if (_podsOn[s].Count == 0 || shapes.Any(shape => Fits(s, shape))) continue;
            stranded += new ResourceTotals(_freeCpu[s], _freeMemory[s], _freeGpu[s].Sum());
        }
        return stranded;
    }
}
