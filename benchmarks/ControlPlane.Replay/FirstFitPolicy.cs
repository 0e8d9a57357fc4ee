namespace ControlPlane.Replay;

/// <summary>Baseline: the first server in node-list order that fits.</summary>
public sealed class FirstFitPolicy(SimulatedCluster cluster) : IPlacementPolicy
{
    public string Name => "FirstFit";

    public int Choose(TracePod pod)
    {
        for (var s = 0; s < cluster.Count; s++)
        {
            if (cluster.Fits(s, pod)) return s;
        }
        return -1;
    }

    public void Learn(int server) { }
}
