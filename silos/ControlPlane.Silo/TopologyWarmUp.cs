using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Topology;
using ControlPlane.Grains.Topology;
using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Silo;

/// <summary>
/// Activates the zones this silo's ops centre pilots (every zone in embedded mode), and so loads
/// their capacity indexes, before the gateway opens its port: once the port answers, the first
/// placement is as fast as the next. Zones piloted by the other centre are left to it. First it
/// applies the topology changes recorded since the seed file, so that the port never answers with
/// the seed alone. A database or a silo that fails meanwhile (PostgreSQL restarting while this silo
/// joins) never ends the process: the catch-up is tried again every second until it succeeds or the
/// start is cancelled, and a zone that does not load now loads on its first use.
/// </summary>
public sealed partial class TopologyWarmUp(
    IGrainFactory grains, PlatformTopology topology, TopologySync sync, SiloHostOptions options, ILogger<TopologyWarmUp> logger)
    : IHostedService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var system = CallerContext.AsSystem("warm-up");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sync.RefreshAsync().WaitAsync(cancellationToken);
                break;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogCatchUpFailed(logger, attempt, e.GetType().Name, e.Message);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
        var regions = topology.Regions.Where(r => !options.IsDurable || r.OpsCentre == options.OpsCentre).ToList();
        var topologyGrain = grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key);
        try
        {
            var zones = await Task.WhenAll(regions.Select(r => topologyGrain.ListZonesAsync(r.Id))).WaitAsync(cancellationToken);
            LogReady(logger, options.Mode, options.OpsCentre, zones.Sum(z => z.Length), zones.Sum(z => z.Sum(x => x.ServerCount)), topology.ServerCount);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogZonesNotLoaded(logger, e.GetType().Name, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "ControlPlane silo ready ({Mode} mode, ops centre {OpsCentre}): {Zones} zones with {Servers} servers loaded, of {Total} in the topology")]
    private static partial void LogReady(ILogger logger, string mode, string opsCentre, int zones, int servers, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topology catch-up failed (attempt {Attempt}, {ErrorType}: {Error}); trying again in a second before opening the gateway")]
    private static partial void LogCatchUpFailed(ILogger logger, int attempt, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zones not loaded ahead ({ErrorType}: {Error}); the gateway opens and each zone loads on its first use")]
    private static partial void LogZonesNotLoaded(ILogger logger, string errorType, string error);
}
