namespace ControlPlane.Grains.Servers;

/// <summary>How servers are reconciled with their agents (section "ControlPlane:Reconcile").</summary>
public sealed class ReconcileOptions
{
    public const string Section = "ControlPlane:Reconcile";

    /// <summary>How often each zone runs a reconcile pass.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Servers holding instances visited per zone and pass, in turn (servers that need attention —
    /// not active, or agent unreachable — are visited at every pass besides). With the defaults a
    /// zone of 2,500 busy servers is swept in about two minutes, at 20 agent calls a second.
    /// </summary>
    public int ServersPerPass { get; set; } = 100;

    /// <summary>A server whose agent stays unreachable this long is declared failed and its instances re-created elsewhere.</summary>
    public TimeSpan FailAfter { get; set; } = TimeSpan.FromSeconds(30);
}
