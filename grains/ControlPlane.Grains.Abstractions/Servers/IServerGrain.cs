using ControlPlane.Domain.Servers;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Servers;

/// <summary>
/// A physical server (key: server id): the single authority on its own allocations and lifecycle,
/// and the reconciler of what its agent runs against what it should run.
/// </summary>
public interface IServerGrain : IGrainWithStringKey
{
    Task<ServerDetails> GetAsync();

    [ReadOnly]
    Task<ServerUsage> GetUsageAsync();

    /// <summary>Grants the allocation if it fits and the server is schedulable, else returns null. Idempotent per instance id.</summary>
    Task<ServerUsage?> TryReserveAsync(ServerAllocation allocation);

    /// <summary>Frees an instance's allocation; returns the usage after it. Idempotent.</summary>
    Task<ServerUsage> ReleaseAsync(string instanceId);

    /// <summary>Stops new placements on the server (Active → Cordoned). Idempotent.</summary>
    Task<ServerDetails> CordonAsync();

    /// <summary>Puts a cordoned or drained server back in service. Idempotent.</summary>
    Task<ServerDetails> UncordonAsync();

    /// <summary>
    /// Cordons the server and moves its instances away live; it ends Drained. Answers with the drain operation's id
    /// (<see cref="ServerDetails.DrainOperationId"/>), started before the answer. Idempotent: a draining server answers its running drain.
    /// </summary>
    Task<ServerDetails> DrainAsync();

    /// <summary>
    /// The drain operation <paramref name="operationId"/> gives up (no room for an instance, too long): a server still
    /// draining under it goes back to Cordoned with <paramref name="reason"/>. Anything else: unchanged.
    /// </summary>
    Task<ServerDetails> AbandonDrainAsync(string operationId, string reason);

    /// <summary>Declares the server failed: its instances are re-created elsewhere. Idempotent.</summary>
    Task<ServerDetails> MarkFailedAsync(string reason);

    /// <summary>Takes an empty, non-active server out of service.</summary>
    Task<ServerDetails> DecommissionAsync();

    /// <summary>Brings a decommissioned or failed (repaired) server into service once its agent answers.</summary>
    Task<ServerDetails> CommissionAsync();

    /// <summary>
    /// A dry run of a lifecycle command: every check it makes (the caller's right, the lifecycle table, an empty server,
    /// a decommission's approval, a commission's agent probe) with its refusal, and the server as the command would leave
    /// it (<paramref name="reason"/> for a failure), changing nothing.
    /// </summary>
    Task<ServerDetails> CheckAsync(ServerLifecycleCommand command, string reason);

    /// <summary>
    /// One reconcile pass: asks the agent what it runs, re-creates lost instances, removes strays,
    /// moves instances off a draining or failed server, and declares the server failed when its agent
    /// stays unreachable. Reports the outcome to the zone.
    /// </summary>
    [OneWay]
    Task ReconcileAsync();

    /// <summary>The answer of the agent probe a reconcile pass started (sent by the grain to itself).</summary>
    [OneWay]
    Task ApplyProbeAsync(AgentProbe probe);

    /// <summary>An agent call for this server failed after its retries: stop placing here until a probe succeeds.</summary>
    [OneWay]
    Task ReportAgentFailureAsync(string error);
}
