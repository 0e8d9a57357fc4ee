using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ControlPlane.Grains.Telemetry;

/// <summary>ControlPlane's own spans and instruments (source and meter "ControlPlane").</summary>
public static class ControlPlaneTelemetry
{
    public const string Name = "ControlPlane";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>
    /// Bucket boundaries (seconds) of our latency histograms, from 5 ms to 2 min: OpenTelemetry's default boundaries
    /// (0, 5, 10, 25 … meant for milliseconds) would put a 2.6 s create in the 5 s bucket. Measured here: a create takes
    /// 0.05–3 s (agents' latency), an ops centre's takeover 1–10 s, a wait on a failed agent up to about 60 s.
    /// </summary>
    public static readonly IReadOnlyList<double> LatencyBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120];

    private static readonly InstrumentAdvice<double> Latency = new() { HistogramBucketBoundaries = LatencyBuckets };

    /// <summary>Time from a provisioning operation's start to its end, tagged with kind and outcome.</summary>
    public static readonly Histogram<double> ProvisioningDuration = Meter.CreateHistogram(
        "controlplane.provisioning.duration", "s", "Time from the start of a provisioning operation to its end", advice: Latency);

    /// <summary>Operations entering each state, tagged with kind and state.</summary>
    public static readonly Counter<long> OperationTransitions = Meter.CreateCounter<long>(
        "controlplane.operations.transitions", "{operation}", "Operations entering a state");

    /// <summary>Reservations a server refused although the zone index proposed it (index stale: retried elsewhere).</summary>
    public static readonly Counter<long> PlacementConflicts = Meter.CreateCounter<long>(
        "controlplane.placement.conflicts", "{conflict}", "Placements a server refused, retried on another server");

    /// <summary>Placements that found no capacity.</summary>
    public static readonly Counter<long> PlacementRejections = Meter.CreateCounter<long>(
        "controlplane.placement.rejections", "{placement}", "Placements refused for lack of capacity");

    /// <summary>What reconciliation did, tagged with the action (recreated, stray_deleted, move_started, server_failed, failure_withheld, correlated_silence).</summary>
    public static readonly Counter<long> ReconcileActions = Meter.CreateCounter<long>(
        "controlplane.reconcile.actions", "{action}", "Corrections made by reconciliation");

    /// <summary>Time from a silo seeing an ops centre lost (or back) in cluster membership to the takeover (or return) being recorded.</summary>
    public static readonly Histogram<double> OpsCentreTransitionDelay = Meter.CreateHistogram(
        "controlplane.opscentre.transition.delay", "s", "Time from an ops centre's loss or return being detected to its takeover or return being recorded",
        advice: Latency);

    public static class Tags
    {
        public const string Tenant = "controlplane.tenant";
        public const string Instance = "controlplane.instance";
        public const string Size = "controlplane.size";
        public const string Region = "controlplane.region";
        public const string Zone = "controlplane.zone";
        public const string Server = "controlplane.server";
        public const string Operation = "controlplane.operation";
        public const string Kind = "controlplane.operation.kind";
        public const string State = "controlplane.operation.state";
        public const string Decision = "controlplane.decision";
        public const string Outcome = "controlplane.outcome";
        public const string Action = "controlplane.reconcile.action";
        public const string EventKind = "controlplane.event.kind";
        public const string OpsCentre = "controlplane.opscentre";
    }
}
