using System.Threading.RateLimiting;

namespace ControlPlane.Gateway.Errors;

/// <summary>
/// How many unauthenticated calls a silo records in the audit log: at most <see cref="PerSecond"/> a
/// second, so that anonymous noise cannot flood the log (or the store behind it); the next one recorded
/// says how many were left out before it.
/// </summary>
public sealed class AnonymousAuditBudget : IDisposable
{
    public const int PerSecond = 20;

    private readonly TokenBucketRateLimiter _limiter = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = PerSecond, TokensPerPeriod = PerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
    });

    private long _left;

    /// <summary>True when this call is recorded; <paramref name="leftOut"/> is then how many were not since the last one recorded.</summary>
    public bool TryRecord(out long leftOut)
    {
        using var lease = _limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            leftOut = Interlocked.Exchange(ref _left, 0);
            return true;
        }
        Interlocked.Increment(ref _left);
        leftOut = 0;
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
