using ControlPlane.Contracts.V1;
using ControlPlane.Faults.Checks;
using ControlPlane.Faults.Load;
using static ControlPlane.Faults.Tests.Histories;

namespace ControlPlane.Faults.Tests;

/// <summary>
/// Each check on a clean snapshot of one acknowledged create (it holds), then on the same snapshot with
/// the one defect the check is there for (it fails and names it).
/// </summary>
public sealed class SafetyChecksTests
{
    private static readonly Resources Small = new() { Cores = 2, MemoryMib = 8192 };

    private static readonly RequestRecord Create = Acked("c1", 0, 1, instance: "i1");

    private static Operation Op(string id, OperationState state, OperationKind kind = OperationKind.CreateInstance) => new() { Id = id, State = state, Kind = kind, InstanceId = "i1" };

    private static Instance Vm(string id = "i1", string name = "vm-1", InstanceState state = InstanceState.Running, string server = "s1") =>
        new() { Id = id, TenantId = "t1", Name = name, State = state, ServerId = server, Resources = Small, OperationId = "op-c1" };

    private static Server Host(params string[] instances)
    {
        var server = new Server { Id = "s1", Capacity = new Resources { Cores = 4, MemoryMib = 16384 }, Allocated = new Resources { Cores = 2L * instances.Length, MemoryMib = 8192L * instances.Length } };
        server.Allocations.AddRange(instances.Select(i => new Allocation { InstanceId = i, TenantId = "t1", Resources = Small }));
        return server;
    }

    private static ClusterSnapshot Clean() => new(
        new Dictionary<string, Operation?> { ["op-c1"] = Op("op-c1", OperationState.Succeeded) },
        [Vm()],
        new Dictionary<string, Instance?>(),
        [Host("i1")],
        new Dictionary<string, IReadOnlySet<string>> { ["s1"] = new HashSet<string> { "i1" } },
        [new Tenant { Id = "t1", Usage = Small, InstanceCount = 1 }],
        new HashSet<AuditedChange> { new(SafetyChecks.CreateAction, "i1") },
        new AuditVerification { Valid = true });

    private static IReadOnlyDictionary<string, OperationWatch.TerminalSeen> SeenSucceeded =>
        new Dictionary<string, OperationWatch.TerminalSeen> { ["op-c1"] = new(OperationState.Succeeded, At(2)) };

    private static CheckResult Check(string name, ClusterSnapshot snapshot, RequestRecord[]? history = null,
        IReadOnlyDictionary<string, OperationWatch.TerminalSeen>? seen = null, IReadOnlyDictionary<string, int>? extra = null) =>
        SafetyChecks.Evaluate(history ?? [Create], seen ?? SeenSucceeded, [], snapshot, extra).Single(c => c.Name.StartsWith(name, StringComparison.Ordinal));

    [Fact]
    public void Every_check_holds_on_a_clean_snapshot()
    {
        var results = SafetyChecks.Evaluate([Create], SeenSucceeded, [], Clean());

        Assert.Equal(12, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {string.Join(" | ", r.Examples)}"));
    }

    [Fact]
    public void An_operation_storage_still_lists_unfinished_is_stuck_whoever_started_it()
    {
        var stuck = Check("no operation left unfinished", Clean() with { StoredUnfinished = ["op-move-1"] });

        Assert.Equal((false, false, 1), (stuck.Passed, stuck.Safety, stuck.Violations));
        Assert.Contains("op-move-1", stuck.Examples[0]);
    }

    [Fact]
    public void A_succeeded_create_whose_instance_is_gone_is_lost_unless_the_load_deleted_it()
    {
        var gone = Clean() with { Instances = [], Lookups = new Dictionary<string, Instance?> { ["i1"] = null }, Servers = [], Tenants = [] };

        var lost = Check("acknowledged creates exist", gone);
        var deleted = Check("acknowledged creates exist", gone, [Create, Acked("d1", 2, 3, kind: RequestKind.Delete, instance: "i1")]);

        Assert.Equal(1, lost.Violations);
        Assert.Contains("i1", lost.Examples[0]);
        Assert.True(deleted.Passed);
        Assert.False(Check("acknowledged creates exist", Clean() with { Operations = new Dictionary<string, Operation?> { ["op-c1"] = null } }).Passed);
    }

    [Fact]
    public void An_operation_still_running_is_reported()
    {
        var open = Clean() with { Operations = new Dictionary<string, Operation?> { ["op-c1"] = Op("op-c1", OperationState.Running) } };

        var result = Check("operations terminal", open, seen: new Dictionary<string, OperationWatch.TerminalSeen>());

        Assert.Equal(1, result.Violations);
        Assert.False(result.Safety);
    }

    [Fact]
    public void Two_instances_of_one_request_are_a_duplicate()
    {
        var twice = Clean() with { Instances = [Vm(), Vm(id: "i2")] };

        Assert.Equal(1, Check("at most one instance per request_id", twice).Violations);
    }

    [Fact]
    public void A_server_allocated_beyond_its_capacity_is_over_committed()
    {
        var full = Host("i1", "i2", "i3");

        Assert.Equal(1, Check("no over-commit", Clean() with { Servers = [full] }).Violations);
    }

    [Fact]
    public void Usage_that_is_not_the_sum_of_the_instances_is_a_mismatch()
    {
        var drifted = Clean() with { Tenants = [new Tenant { Id = "t1", Usage = new Resources { Cores = 4, MemoryMib = 16384 }, InstanceCount = 2 }] };

        Assert.Equal(1, Check("usage = sum of instances", drifted).Violations);
    }

    [Fact]
    public void A_running_instance_without_allocation_or_agent_is_reported_for_each()
    {
        var unheld = Clean() with { Servers = [Host()] };
        var unrun = Clean() with { AgentInstances = new Dictionary<string, IReadOnlySet<string>> { ["s1"] = new HashSet<string>() } };

        Assert.Contains("holds no allocation", Assert.Single(Check("every RUNNING instance", unheld).Examples));
        Assert.Contains("agent does not run it", Assert.Single(Check("every RUNNING instance", unrun).Examples));
    }

    [Fact]
    public void An_allocation_of_a_missing_or_deleted_instance_is_reported()
    {
        var orphan = Clean() with { Servers = [Host("i1", "ghost")], Lookups = new Dictionary<string, Instance?> { ["ghost"] = null } };
        var deleted = Clean() with { Instances = [Vm(state: InstanceState.Deleted)], AgentInstances = new Dictionary<string, IReadOnlySet<string>>() };

        Assert.Contains("ghost", Assert.Single(Check("every allocation belongs", orphan).Examples));
        Assert.Contains("DELETED", Assert.Single(Check("every allocation belongs", deleted).Examples));
    }

    [Fact]
    public void A_terminal_operation_seen_in_another_state_later_is_reopened()
    {
        var reopened = Clean() with { Operations = new Dictionary<string, Operation?> { ["op-c1"] = Op("op-c1", OperationState.Running) } };

        Assert.Contains("Succeeded", Assert.Single(Check("no terminal operation changes state", reopened).Examples));
        var duringRun = SafetyChecks.TerminalNeverReopens(SeenSucceeded, [new OperationWatch.Reopening("op-c1", OperationState.Succeeded, OperationState.Running, At(5))], Clean());
        Assert.Equal(1, duringRun.Violations);
    }

    [Fact]
    public void An_acknowledged_change_without_audit_record_and_a_broken_log_are_reported()
    {
        var unaudited = Clean() with { Audited = new HashSet<AuditedChange>(), Verification = new AuditVerification { Valid = false, BrokenSequence = 7, Problem = "missing" } };

        Assert.Equal(1, Check("every acknowledged change is audited", unaudited).Violations);
        Assert.Contains("7", Check("the audit log verifies", unaudited).Examples[0]);
    }

    [Fact]
    public void Internal_or_unknown_answers_are_violations_wherever_they_come_from()
    {
        RequestRecord[] history = [Create, Failed("x", 0, "INTERNAL", attempts: 2)];

        Assert.Equal(2, Check("no INTERNAL or UNKNOWN", Clean(), history).Violations);
        Assert.Equal(3, Check("no INTERNAL or UNKNOWN", Clean(), extra: new Dictionary<string, int> { ["UNKNOWN"] = 3, ["INVALID_ARGUMENT"] = 1997 }).Violations);
        Assert.True(Check("no INTERNAL or UNKNOWN", Clean(), [Create, Failed("y", 0, "UNAVAILABLE", attempts: 5)]).Passed);
    }
}
