namespace ControlPlane.Bench;

/// <summary>CPU used during a phase: by the silo (when it is our child), by this process, by the whole machine.</summary>
/// <param name="SiloCpu">CPU time of the silo process, null when the silo is not ours (endpoint target).</param>
/// <param name="MachineBusyCores">Average busy cores of the whole machine (0 to the core count).</param>
/// <param name="SiloTierUpCpu">Of <paramref name="SiloCpu"/>, the part spent by the runtime's tier-up (background JIT) threads.</param>
public sealed record ResourceUse(TimeSpan? SiloCpu, TimeSpan ClientCpu, double MachineBusyCores, TimeSpan? SiloTierUpCpu = null)
{
    public static readonly ResourceUse None = new(null, TimeSpan.Zero, double.NaN);

    /// <summary>The tier-up threads' share of the silo's CPU, NaN when either is unknown or the silo used none.</summary>
    public double TierUpShare => SiloCpu is { } silo && SiloTierUpCpu is { } jit && silo > TimeSpan.Zero ? jit / silo : double.NaN;
}
