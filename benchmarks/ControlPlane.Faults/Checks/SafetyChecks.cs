using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Load;

namespace ControlPlane.Faults.Checks;

/// <summary>
/// The checks made after each scenario, from its history, what was seen of its operations during the
/// run, and a snapshot of the cluster. Pure: every input is data, so each check is tested on its own.
/// </summary>
public static class SafetyChecks
{
    public const string CreateAction = "Provisioning/CreateInstance";
    public const string DeleteAction = "Provisioning/DeleteInstance";

    public static IReadOnlyList<CheckResult> Evaluate(
        IReadOnlyCollection<RequestRecord> history,
        IReadOnlyDictionary<string, OperationWatch.TerminalSeen> terminalSeen,
        IReadOnlyCollection<OperationWatch.Reopening> reopenedDuringRun,
        ClusterSnapshot snapshot,
        IReadOnlyDictionary<string, int>? extraStatusCounts = null) =>
    [
        AcknowledgedCreatesExist(history, snapshot),
        OperationsTerminal(history, snapshot),
        NothingStoredUnfinished(snapshot),
        OneInstancePerRequest(snapshot),
        NoOverCommit(snapshot),
        UsageMatchesInstances(snapshot),
        RunningInstancesAreHeldAndRun(snapshot),
        AllocationsBelongToLiveInstances(snapshot),
        TerminalNeverReopens(terminalSeen, reopenedDuringRun, snapshot),
        ChangesAudited(history, snapshot),
        AuditLogVerifies(snapshot),
        NoInternalOrUnknown(history, extraStatusCounts),
    ];

    /// <summary>Every acknowledged create's operation exists; when it succeeded, its instance exists unless the load asked to delete it.</summary>
    public static CheckResult AcknowledgedCreatesExist(IReadOnlyCollection<RequestRecord> history, ClusterSnapshot snapshot)
    {
        var deleteTargets = history.Where(r => r.Kind == RequestKind.Delete).Select(r => r.InstanceId).OfType<string>().ToHashSet();
        return CheckResult.Of("acknowledged creates exist", history.Where(r => r.Kind == RequestKind.Create && r.Acknowledged).SelectMany(r =>
        {
            if (snapshot.Operations.GetValueOrDefault(r.OperationId!) is not { } operation) return [$"{r.RequestId}: operation {r.OperationId} not found"];
            if (operation.State != OperationState.Succeeded || deleteTargets.Contains(r.InstanceId!)) return Array.Empty<string>();
            var instance = snapshot.Find(r.InstanceId!);
            return instance is null || instance.State == InstanceState.Deleted
                ? [$"{r.RequestId}: operation {operation.Id} SUCCEEDED but instance {r.InstanceId} is {(instance is null ? "not found" : "DELETED")}"]
                : [];
        }));
    }

    /// <summary>Every acknowledged operation has ended (SUCCEEDED or FAILED) when the snapshot was taken, 60 s after the last fault.</summary>
    public static CheckResult OperationsTerminal(IReadOnlyCollection<RequestRecord> history, ClusterSnapshot snapshot) =>
        CheckResult.Of("operations terminal 60 s after the last fault", history.Where(r => r.Acknowledged).SelectMany(r =>
            snapshot.Operations.GetValueOrDefault(r.OperationId!) is { State: not (OperationState.Succeeded or OperationState.Failed) } operation
                ? [$"{r.RequestId}: operation {operation.Id} ({operation.Kind}) still {operation.State}"]
                : Array.Empty<string>()), safety: false);

    /// <summary>
    /// Storage lists no operation of any kind — acknowledged or the platform's own, read or not by anyone since — as unfinished
    /// since long before the snapshot: what no call woke, the recovery sweep must have ended.
    /// </summary>
    public static CheckResult NothingStoredUnfinished(ClusterSnapshot snapshot) =>
        CheckResult.Of("no operation left unfinished in storage", (snapshot.StoredUnfinished ?? []).Select(key => $"operation {key} still listed unfinished"), safety: false);

    /// <summary>No two instances of the load's tenants carry the same name (each create request names its instance uniquely).</summary>
    public static CheckResult OneInstancePerRequest(ClusterSnapshot snapshot) =>
        CheckResult.Of("at most one instance per request_id", snapshot.Instances.GroupBy(i => (i.TenantId, i.Name)).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.TenantId}/{g.Key.Name}: {g.Count()} instances ({string.Join(", ", g.Select(i => i.Id))})"));

    /// <summary>No server holds more than its capacity, neither by its own count nor by the sum of its allocations.</summary>
    public static CheckResult NoOverCommit(ClusterSnapshot snapshot) =>
        CheckResult.Of("no over-commit", snapshot.Servers.SelectMany(s =>
        {
            var sum = (Cores: s.Allocations.Sum(a => a.Resources?.Cores ?? 0), Memory: s.Allocations.Sum(a => a.Resources?.MemoryMib ?? 0), Gpus: s.Allocations.Sum(a => a.Resources?.Gpus ?? 0));
            var capacity = s.Capacity ?? new Resources();
            var allocated = s.Allocated ?? new Resources();
            return allocated.Cores > capacity.Cores || allocated.MemoryMib > capacity.MemoryMib || allocated.Gpus > capacity.Gpus
                || sum.Cores > capacity.Cores || sum.Memory > capacity.MemoryMib || sum.Gpus > capacity.Gpus
                ? [$"{s.Id}: capacity {capacity.Cores} cores/{capacity.MemoryMib} MiB/{capacity.Gpus} GPU, allocated {allocated.Cores}/{allocated.MemoryMib}/{allocated.Gpus}, allocations sum {sum.Cores}/{sum.Memory}/{sum.Gpus}"]
                : Array.Empty<string>();
        }));

    /// <summary>Each tenant's usage and instance count are the sums over the instances it lists.</summary>
    public static CheckResult UsageMatchesInstances(ClusterSnapshot snapshot) =>
        CheckResult.Of("usage = sum of instances", snapshot.Tenants.SelectMany(t =>
        {
            var own = snapshot.Instances.Where(i => i.TenantId == t.Id).ToList();
            var (cores, memory, count) = (own.Sum(i => i.Resources?.Cores ?? 0), own.Sum(i => i.Resources?.MemoryMib ?? 0), own.Count);
            var usage = t.Usage ?? new Resources();
            return usage.Cores != cores || usage.MemoryMib != memory || t.InstanceCount != count
                ? [$"{t.Id}: usage {usage.Cores} cores/{usage.MemoryMib} MiB/{t.InstanceCount} instances, its instances {cores}/{memory}/{count}"]
                : Array.Empty<string>();
        }));

    /// <summary>Every RUNNING instance holds an allocation on its server, and that server's agent runs it.</summary>
    public static CheckResult RunningInstancesAreHeldAndRun(ClusterSnapshot snapshot)
    {
        var servers = snapshot.Servers.ToDictionary(s => s.Id);
        return CheckResult.Of("every RUNNING instance is allocated and run by its agent", snapshot.Instances.Where(i => i.State == InstanceState.Running).SelectMany(i =>
        {
            var problems = new List<string>();
            if (!servers.TryGetValue(i.ServerId, out var server) || server.Allocations.All(a => a.InstanceId != i.Id))
                problems.Add($"{i.Id} (operation {i.OperationId}) RUNNING on {i.ServerId}, which holds no allocation for it");
            if (!snapshot.AgentInstances.TryGetValue(i.ServerId, out var run) || !run.Contains(i.Id))
                problems.Add($"{i.Id} (operation {i.OperationId}) RUNNING on {i.ServerId}, whose agent does not run it");
            return problems;
        }));
    }

    /// <summary>Every allocation on every server read belongs to an instance that exists and is not deleted, on that server.</summary>
    public static CheckResult AllocationsBelongToLiveInstances(ClusterSnapshot snapshot) =>
        CheckResult.Of("every allocation belongs to a live instance", snapshot.Servers.SelectMany(s => s.Allocations.SelectMany(a =>
        {
            var instance = snapshot.Find(a.InstanceId);
            if (instance is null) return [$"{s.Id}: allocation for {a.InstanceId} (tenant {a.TenantId}), which does not exist"];
            if (instance.State == InstanceState.Deleted) return [$"{s.Id}: allocation for {a.InstanceId} (tenant {a.TenantId}), which is DELETED"];
            // A moving instance holds its source and its target for a while.
            return instance.ServerId != s.Id && instance.State != InstanceState.Moving
                ? [$"{s.Id}: allocation for {a.InstanceId}, which is {instance.State} on {instance.ServerId}"]
                : Array.Empty<string>();
        })));

    /// <summary>No operation seen terminal was later seen in another state, during the run or at the end.</summary>
    public static CheckResult TerminalNeverReopens(
        IReadOnlyDictionary<string, OperationWatch.TerminalSeen> terminalSeen,
        IReadOnlyCollection<OperationWatch.Reopening> reopenedDuringRun,
        ClusterSnapshot snapshot) =>
        CheckResult.Of("no terminal operation changes state", reopenedDuringRun
            .Select(r => $"{r.OperationId}: {r.Terminal} then {r.Later} at {r.At:HH:mm:ss.f}")
            .Concat(terminalSeen.SelectMany(t => snapshot.Operations.GetValueOrDefault(t.Key) is { } now && now.State != t.Value.State
                ? [$"{t.Key}: {t.Value.State} at {t.Value.At:HH:mm:ss.f}, {now.State} at the end"]
                : Array.Empty<string>())));

    /// <summary>Every acknowledged create and delete has an allowed audit record naming its instance.</summary>
    public static CheckResult ChangesAudited(IReadOnlyCollection<RequestRecord> history, ClusterSnapshot snapshot) =>
        CheckResult.Of("every acknowledged change is audited", history.Where(r => r.Acknowledged).SelectMany(r =>
        {
            var change = new AuditedChange(r.Kind == RequestKind.Create ? CreateAction : DeleteAction, r.InstanceId ?? "");
            return snapshot.Audited.Contains(change) ? Array.Empty<string>() : [$"{r.RequestId}: no audit record of {change.Action} on {change.Target}"];
        }));

    public static CheckResult AuditLogVerifies(ClusterSnapshot snapshot) =>
        CheckResult.Of("the audit log verifies", snapshot.Verification.Valid ? [] :
            [$"broken at {snapshot.Verification.BrokenSequence}: {snapshot.Verification.Problem} {snapshot.Verification.Message}"]);

    /// <summary>No attempt answered INTERNAL or UNKNOWN (statuses the API documents for none of its failures).</summary>
    public static CheckResult NoInternalOrUnknown(IReadOnlyCollection<RequestRecord> history, IReadOnlyDictionary<string, int>? extraStatusCounts = null) =>
        CheckResult.Of("no INTERNAL or UNKNOWN answer", history.SelectMany(r => r.Attempts.Where(a => a.Status is "INTERNAL" or "UNKNOWN")
                .Select(a => $"{r.RequestId}: {a.Status} from gateway {a.Gateway + 1} at {a.Ended:HH:mm:ss.f}"))
            .Concat((extraStatusCounts ?? new Dictionary<string, int>()).Where(c => c.Value > 0 && (c.Key.Equals("INTERNAL", StringComparison.OrdinalIgnoreCase) || c.Key.Equals("UNKNOWN", StringComparison.OrdinalIgnoreCase)))
                .SelectMany(c => Enumerable.Repeat($"hostile requests: {c.Key}", c.Value))), safety: false);
}
