using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// Wakes the operations that storage holds unfinished (<see cref="IUnfinishedOperations"/>): every
/// <see cref="OperationOptions.RecoveryPeriod"/>, each silo resumes its share of those unfinished for longer than that
/// period — those whose grain hashes to its place among the active silos — so that an operation interrupted by a crash,
/// a storage failure or an agent that did not answer goes on from its recorded phase and reaches a terminal state.
/// A silo that dies takes no wake-up with it: the next sweep shares its operations among the others. An operation still
/// running where it is gets a resume queued behind its own work, which finds it ended or goes on with it (each phase is
/// idempotent): at most one per period, as a reminder's tick was. One list per sweep and silo, and no write or grain call
/// for an operation on its normal path. When more are unfinished than one sweep lists
/// (<see cref="OperationOptions.RecoverySweepLimit"/>), each sweep goes on from where the previous one stopped and starts
/// again from the oldest once it reached the newest: every unfinished operation is woken within a few sweeps, however many
/// older ones stay unfinished before it.
/// </summary>
public sealed partial class OperationRecovery(
    IUnfinishedOperations unfinished,
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    TimeProvider clock,
    IOptions<OperationOptions> options,
    ILogger<OperationRecovery> logger) : BackgroundService
{
    /// <summary>Where the next sweep's list starts: after the last operation the previous one listed, or null for the oldest.</summary>
    private UnfinishedOperation? _after;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryPeriod, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database restarting, this silo not active yet: the next sweep tries again. An escaping exception would stop the host.
                LogSweepFailed(logger, e.GetType().Name, e.Message);
            }
        }
    }

    /// <summary>One sweep: how many operations of this silo's share it woke.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)
            .OrderBy(a => a.ToParsableString(), StringComparer.Ordinal).ToList();
        var place = active.IndexOf(silo.SiloAddress);
        if (place < 0) return 0;
        var limit = options.Value.RecoverySweepLimit;
        var keys = await unfinished.ListAsync(clock.GetUtcNow() - options.Value.RecoveryPeriod, _after, limit, cancellationToken);
        _after = keys.Count < limit ? null : keys[^1];
        var mine = keys.Select(o => grains.GetGrain<IOperationGrain>(o.Key)).Where(g => g.GetGrainId().GetUniformHashCode() % (uint)active.Count == place).ToList();
        if (mine.Count == 0) return 0;
        // Resuming is the platform's own work: no requester is behind it.
        using var system = CallerContext.AsSystem("operation-recovery");
        var failed = 0;
        foreach (var grain in mine)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // One-way: sent, not waited for (a pass waiting on a silent agent takes that call's retries).
                await grain.ResumeAsync();
            }
            catch (Exception e)
            {
                // Not sent (the grain's silo unreachable): the next sweep tries again.
                failed++;
                LogResumeFailed(logger, grain.GetPrimaryKeyString(), e.GetType().Name, e.Message);
            }
        }
        LogSwept(logger, mine.Count, failed, keys.Count);
        return mine.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation recovery woke {Woken} unfinished operation(s) of this silo's share ({Failed} not reached), of {Listed} listed")]
    private static partial void LogSwept(ILogger logger, int woken, int failed, int listed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Operation {OperationId} not reached by this sweep ({ErrorType}: {Error}); the next one tries again")]
    private static partial void LogResumeFailed(ILogger logger, string operationId, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation recovery sweep failed ({ErrorType}: {Error}); the next one tries again")]
    private static partial void LogSweepFailed(ILogger logger, string errorType, string error);
}
