using Orleans.Configuration;

namespace ControlPlane.Silo;

/// <summary>
/// How the durable cluster tells a dead silo from a slow one (section "ControlPlane:FailureDetection"),
/// applied to Orleans' <see cref="ClusterMembershipOptions"/>. A killed silo refuses connections at
/// once, so its probes fail fast whatever the timeout: detection rests on the missed-probe count and
/// the probe period. A silo that is only slow (CPU saturated) answers late: an adaptive timeout
/// (<see cref="MinProbeTimeout"/> to <see cref="MaxProbeTimeout"/>), stretched further while the
/// prober itself is degraded, indirect probes through another silo and two votes keep it alive.
/// Measured figures are in docs/durable-mode.md.
/// </summary>
public sealed class FailureDetectionOptions
{
    public const string Section = "ControlPlane:FailureDetection";

    /// <summary>The first probe timeout; Orleans then adapts it to each peer's observed response times.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MinProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far a slow peer's timeout may stretch (Orleans: four times the first one).</summary>
    public TimeSpan MaxProbeTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Missed probes in a row before a silo suspects (votes against) its peer.</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>Votes needed to declare a silo dead (at most the number of other silos).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>Before voting, ask another silo to probe the suspect: a prober's own trouble is not the peer's death.</summary>
    public bool EnableIndirectProbes { get; set; } = true;

    /// <summary>Stretch the probe timeout while this silo's own health is degraded (CPU starved, timers late).</summary>
    public bool ExtendProbeTimeoutDuringDegradation { get; set; } = true;

    /// <summary>
    /// Orleans' connection liveness check withholds a vote while the suspect's connection carried a message
    /// within <see cref="MaxProbeTimeout"/> × <see cref="NumMissedProbesLimit"/> (16 s here). A frozen or cut-off
    /// silo carried messages until the moment it froze, so the check held its death back by those 16 s and
    /// every grain on it stayed unreachable meanwhile (the campaign's partition window was 18–19 s). A slow
    /// prober is already covered by <see cref="ExtendProbeTimeoutDuringDegradation"/> and a slow peer by
    /// indirect probes through a healthy intermediary, so it is off.
    /// </summary>
    public bool EnableConnectionLivenessCheck { get; set; }

    /// <summary>How often local health degradation is logged at most.</summary>
    public TimeSpan LocalHealthDegradationMonitoringPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a silo writes its heartbeat in the membership table.</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo reads the membership table (gossip carries changes sooner).</summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a vote counts.</summary>
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Dead rows older than this are removed from the membership table (a supervised silo restarted often leaves many).</summary>
    public TimeSpan DefunctSiloExpiration { get; set; } = TimeSpan.FromDays(1);

    public void ApplyTo(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = ProbeTimeout;
        o.MinProbeTimeout = MinProbeTimeout;
        o.MaxProbeTimeout = MaxProbeTimeout;
        o.NumMissedProbesLimit = NumMissedProbesLimit;
        o.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        o.EnableIndirectProbes = EnableIndirectProbes;
        o.ExtendProbeTimeoutDuringDegradation = ExtendProbeTimeoutDuringDegradation;
        o.EnableConnectionLivenessCheck = EnableConnectionLivenessCheck;
        o.LocalHealthDegradationMonitoringPeriod = LocalHealthDegradationMonitoringPeriod;
        o.IAmAliveTablePublishTimeout = IAmAlivePeriod;
        o.TableRefreshTimeout = TableRefreshPeriod;
        o.DeathVoteExpirationTimeout = DeathVoteExpiration;
        o.DefunctSiloExpiration = DefunctSiloExpiration;
    }

    public IEnumerable<string> Problems()
    {
        if (MinProbeTimeout <= TimeSpan.Zero || MinProbeTimeout > ProbeTimeout || ProbeTimeout > MaxProbeTimeout)
            yield return $"{Section}: expected 0 < MinProbeTimeout ({MinProbeTimeout}) <= ProbeTimeout ({ProbeTimeout}) <= MaxProbeTimeout ({MaxProbeTimeout})";
        if (NumMissedProbesLimit < 1)
            yield return $"{Section}:NumMissedProbesLimit {NumMissedProbesLimit} must be at least 1";
        if (NumVotesForDeathDeclaration < 1)
            yield return $"{Section}:NumVotesForDeathDeclaration {NumVotesForDeathDeclaration} must be at least 1";
        if (IAmAlivePeriod <= TimeSpan.Zero || TableRefreshPeriod <= TimeSpan.Zero || DeathVoteExpiration <= TimeSpan.Zero || DefunctSiloExpiration <= TimeSpan.Zero)
            yield return $"{Section}: IAmAlivePeriod, TableRefreshPeriod, DeathVoteExpiration and DefunctSiloExpiration must be positive";
    }
}
