namespace ControlPlane.Silo.Dashboard;

/// <summary>
/// The Orleans Dashboard on the health port (section "ControlPlane:Dashboard", docs/observability.md#cluster-view).
/// Its call profiling costs about 10 % of grain-call throughput: on by default in embedded mode (a try-out), off in durable mode.
/// </summary>
public sealed class ClusterViewOptions
{
    public const string Section = "ControlPlane:Dashboard";

    /// <summary>The route prefix on the health port.</summary>
    public const string Path = "/dashboard";

    /// <summary>Null: on in embedded mode, off in durable mode.</summary>
    public bool? Enabled { get; set; }

    public bool IsEnabled(bool durable) => Enabled ?? !durable;
}
