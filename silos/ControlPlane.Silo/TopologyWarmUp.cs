using System.Diagnostics;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Topology;
using ControlPlane.Grains.Topology;
using ControlPlane.Grains.Abstractions.Access;
using Orleans.Runtime;

namespace ControlPlane.Silo;

/// <summary>
/// Activates the zones this silo's ops centre pilots (every zone in embedded mode), and so loads
/// their capacity indexes, before the gateway opens its port: once the port answers, the first
/// placement is as fast as the next. Zones piloted by the other centre are left to it. First it
/// applies the topology changes recorded since the seed file, so that the port never answers with
/// the seed alone. A database or a silo that fails meanwhile (PostgreSQL restarting while this silo
/// joins) never ends the process: the catch-up is tried again every second until it succeeds or the
/// start is cancelled, and a zone that does not load now loads on its first use.
/// A silo that joins a running cluster (restarted after a crash) opens its port once caught up and
/// loads the zones behind it: the zones it finds active elsewhere answer at once, and those that died
/// with its previous process load on their first call whoever makes it, so waiting for them before
/// opening only kept this gateway shut (seconds of server reads under load).
/// </summary>
public sealed partial class TopologyWarmUp(
    IGrainFactory grains, PlatformTopology topology, TopologySync sync, SiloHostOptions options,
    IClusterMembershipService membership, ILocalSiloDetails silo, ILogger<TopologyWarmUp> logger)
    : IHostedService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stopping = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var system = CallerContext.AsSystem("warm-up");
        var started = Stopwatch.StartNew();
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
        var caughtUp = started.Elapsed;
        if (options.IsDurable && OtherActiveSilos() > 0)
        {
            LogJoinedRunningCluster(logger, OtherActiveSilos(), caughtUp.TotalMilliseconds);
            _ = LoadZonesAsync(started, caughtUp, _stopping.Token);
            return;
        }
        await LoadZonesAsync(started, caughtUp, cancellationToken);
    }

    private int OtherActiveSilos() =>
        membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(silo.SiloAddress));

    private async Task LoadZonesAsync(Stopwatch started, TimeSpan caughtUp, CancellationToken cancellationToken)
    {
        using var system = CallerContext.AsSystem("warm-up");
        var regions = topology.Regions.Where(r => !options.IsDurable || r.OpsCentre == options.OpsCentre).ToList();
        var topologyGrain = grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key);
        try
        {
            var zones = await Task.WhenAll(regions.Select(r => topologyGrain.ListZonesAsync(r.Id))).WaitAsync(cancellationToken);
            LogReady(logger, options.Mode, options.OpsCentre, zones.Sum(z => z.Length), zones.Sum(z => z.Sum(x => x.ServerCount)), topology.ServerCount,
                caughtUp.TotalMilliseconds, (started.Elapsed - caughtUp).TotalMilliseconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogZonesNotLoaded(logger, e.GetType().Name, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Stopping (or the start cancelled) before the zones loaded: nothing to report.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "ControlPlane silo ready ({Mode} mode, ops centre {OpsCentre}): {Zones} zones with {Servers} servers loaded, of {Total} in the topology (topology caught up in {CatchUpMs:0} ms, zones in {ZonesMs:0} ms)")]
    private static partial void LogReady(ILogger logger, string mode, string opsCentre, int zones, int servers, int total, double catchUpMs, double zonesMs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Joined a running cluster ({Others} other active silo(s)), topology caught up in {CatchUpMs:0} ms: the gateway opens now and the zones load behind it")]
    private static partial void LogJoinedRunningCluster(ILogger logger, int others, double catchUpMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topology catch-up failed (attempt {Attempt}, {ErrorType}: {Error}); trying again in a second before opening the gateway")]
    private static partial void LogCatchUpFailed(ILogger logger, int attempt, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zones not loaded ahead ({ErrorType}: {Error}); the gateway opens and each zone loads on its first use")]
    private static partial void LogZonesNotLoaded(ILogger logger, string errorType, string error);
}
