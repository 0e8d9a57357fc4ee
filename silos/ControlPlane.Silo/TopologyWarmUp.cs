using ControlPlane.Grains;

namespace ControlPlane.Silo;

/// <summary>
/// Activates every zone (and so loads its capacity index) before the gateway opens its port:
/// once the port answers, the first placement is as fast as the next.
/// </summary>
public sealed partial class TopologyWarmUp(IGrainFactory grains, ILogger<TopologyWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var regions = await grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key).ListRegionsAsync().WaitAsync(cancellationToken);
        LogReady(logger, regions.Length, regions.Sum(r => r.Zones.Length), regions.Sum(r => r.ServerCount));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Topology loaded: {Regions} regions, {Zones} zones, {Servers} servers")]
    private static partial void LogReady(ILogger logger, int regions, int zones, int servers);
}
