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
/// the seed alone.
/// </summary>
public sealed partial class TopologyWarmUp(
    IGrainFactory grains, PlatformTopology topology, TopologySync sync, SiloHostOptions options, ILogger<TopologyWarmUp> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var system = CallerContext.AsSystem("warm-up");
        await sync.RefreshAsync().WaitAsync(cancellationToken);
        var regions = topology.Regions.Where(r => !options.IsDurable || r.OpsCentre == options.OpsCentre).ToList();
        var topologyGrain = grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key);
        var zones = await Task.WhenAll(regions.Select(r => topologyGrain.ListZonesAsync(r.Id))).WaitAsync(cancellationToken);
        LogReady(logger, options.Mode, options.OpsCentre, zones.Sum(z => z.Length), zones.Sum(z => z.Sum(x => x.ServerCount)), topology.ServerCount);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "ControlPlane silo ready ({Mode} mode, ops centre {OpsCentre}): {Zones} zones with {Servers} servers loaded, of {Total} in the topology")]
    private static partial void LogReady(ILogger logger, string mode, string opsCentre, int zones, int servers, int total);
}
