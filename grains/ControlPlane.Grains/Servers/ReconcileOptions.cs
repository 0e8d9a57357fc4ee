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

    /// <summary>
    /// The most servers of one zone that may be declared failed by silence within <see cref="SilentFailureWindow"/>
    /// (see <see cref="Domain.Servers.SilentFailureBudget"/>): beyond, the outage is taken for the network's or
    /// the agent fleet's, and the silent servers stay ACTIVE and unreachable instead of being evacuated.
    /// </summary>
    public int SilentFailureLimit { get; set; } = 20;

    /// <summary>The same limit as a share of the zone's servers; the smaller of the two applies, never less than one server.</summary>
    public double SilentFailureShare { get; set; } = 0.05;

    /// <summary>How long a failure by silence counts against its zone's limit.</summary>
    public TimeSpan SilentFailureWindow { get; set; } = TimeSpan.FromMinutes(10);
}
