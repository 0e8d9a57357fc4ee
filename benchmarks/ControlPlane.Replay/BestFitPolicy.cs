namespace ControlPlane.Replay;

/// <summary>
/// Baseline: the usual single-score best fit, GPU-unaware. Among servers that fit, the one left
/// with the least CPU plus memory, each as a share of the server's own capacity; ties go to the
/// first in node-list order.
/// </summary>
public sealed class BestFitPolicy(SimulatedCluster cluster) : IPlacementPolicy
{
    public string Name => "BestFit";

    public int Choose(TracePod pod)
    {
        var best = -1;
        var bestScore = double.MaxValue;
        for (var s = 0; s < cluster.Count; s++)
        {
            if (!cluster.Fits(s, pod)) continue;
            var node = cluster.Node(s);
            var score = (double)(cluster.FreeCpu(s) - pod.CpuMilli) / node.CpuMilli
                + (double)(cluster.FreeMemory(s) - pod.MemoryMib) / node.MemoryMib;
            if (score < bestScore)
            {
                best = s;
                bestScore = score;
            }
        }
        return best;
    }

    public void Learn(int server) { }
}
