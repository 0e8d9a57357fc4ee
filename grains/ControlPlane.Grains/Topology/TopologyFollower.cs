using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Grains.Topology;

/// <summary>Every <see cref="TopologySync.Period"/>, applies the topology changes this silo has not seen.</summary>
public sealed partial class TopologyFollower(TopologySync sync, ILogger<TopologyFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TopologySync.Period);
        long version = -1;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var reached = await sync.RefreshAsync();
                if (reached != version && version >= 0) LogCaughtUp(logger, reached);
                version = reached;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may still be starting, the change log's silo just died, or a call timed out
                // (a cancellation that is not the stop's): next tick. An escaping exception would stop the host.
                LogRefreshFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topology caught up to version {Version}")]
    private static partial void LogCaughtUp(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Topology refresh failed: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
