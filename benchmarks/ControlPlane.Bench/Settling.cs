namespace ControlPlane.Bench;

/// <summary>The rounds run before the measured phases until the silos' JIT settled (see <c>BenchRunner.SettleAsync</c>).</summary>
/// <param name="TierUpShares">Each round's share of the silos' CPU used by their tier-up (JIT) threads.</param>
public sealed record Settling(IReadOnlyList<double> TierUpShares, TimeSpan Elapsed)
{
    public bool Settled => TierUpShares.Count > 0 && TierUpShares[^1] < BenchRunner.SettledTierUpShare;
}
