namespace ControlPlane.Bench;

/// <summary>CPU used during a phase: by the silo (when it is our child), by this process, by the whole machine.</summary>
/// <param name="SiloCpu">CPU time of the silo process, null when the silo is not ours (endpoint target).</param>
/// <param name="MachineBusyCores">Average busy cores of the whole machine (0 to the core count).</param>
public sealed record ResourceUse(TimeSpan? SiloCpu, TimeSpan ClientCpu, double MachineBusyCores)
{
    public static readonly ResourceUse None = new(null, TimeSpan.Zero, double.NaN);
}
