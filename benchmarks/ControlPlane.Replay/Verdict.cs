namespace ControlPlane.Replay;

/// <summary>
/// The target: ControlPlane uses at most 0.97 × the peak servers of the better baseline
/// (fewer peak servers, then fewer rejections) without rejecting more, or rejects fewer requests
/// with no more servers.
/// </summary>
public sealed record Verdict(PolicyResult BetterBaseline, double PeakServersRatio, bool TargetMet)
{
    public const double TargetRatio = 0.97;

    public static Verdict Of(PolicyResult controlPlane, IEnumerable<PolicyResult> baselines)
    {
        var better = baselines.OrderBy(r => r.PeakServersInUse).ThenBy(r => r.Rejected).First();
        var ratio = (double)controlPlane.PeakServersInUse / Math.Max(1, better.PeakServersInUse);
        var met = (ratio <= TargetRatio && controlPlane.Rejected <= better.Rejected)
            || (controlPlane.Rejected < better.Rejected && controlPlane.PeakServersInUse <= better.PeakServersInUse);
        return new Verdict(better, ratio, met);
    }
}
