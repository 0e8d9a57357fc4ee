using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Gateway.Security;

/// <summary>
/// This silo's copy of principals, roles and seal: read again when older than <see cref="MaxAge"/>,
/// and at once after a change made through this gateway. A role revoked on another silo's gateway
/// takes effect here within <see cref="MaxAge"/>.
/// </summary>
public sealed class AccessSnapshotCache(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (AccessSnapshot Snapshot, DateTimeOffset At)? _current;

    public async Task<AccessSnapshot> GetAsync()
    {
        if (_current is { } c && clock.GetUtcNow() - c.At < MaxAge) return c.Snapshot;
        await _refresh.WaitAsync();
        try
        {
            if (_current is { } again && clock.GetUtcNow() - again.At < MaxAge) return again.Snapshot;
            var at = clock.GetUtcNow();
            // The gateway's own read, whichever call found the copy stale.
            using var system = CallerContext.AsSystem("access-snapshot");
            var snapshot = await grains.GetGrain<IAccessControlGrain>(IAccessControlGrain.Key).GetSnapshotAsync();
            _current = (snapshot, at);
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Invalidate() => _current = null;
}
