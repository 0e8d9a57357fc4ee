namespace ControlPlane.Replay;

/// <summary>What one policy did with the whole trace.</summary>
public sealed record PolicyResult(
    string Policy,
    int Placed,
    int Rejected,
    int PeakServersInUse,
    long PeakTime,
    ResourceTotals StrandedAtPeak,
    double MicrosecondsPerPlacement,
    string Note);
