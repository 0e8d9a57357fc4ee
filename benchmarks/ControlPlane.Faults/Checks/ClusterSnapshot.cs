using ControlPlane.Contracts.V1;

namespace ControlPlane.Faults.Checks;

/// <summary>
/// What the cluster holds once a scenario's faults are over, read through the API, the agent fleet and
/// the database: the state of every acknowledged operation (null: not found), the instances of the
/// load's tenants, single instances looked up by id (null: not found), the servers holding allocations
/// or running the tenants' instances, what each such server's agent runs, the tenants, the audit log, and the
/// operations of any kind (the platform's own moves included) that storage still lists unfinished although they were
/// opened long before (table OpenOperations, read before anything else; empty when not read).
/// </summary>
public sealed record ClusterSnapshot(
    IReadOnlyDictionary<string, Operation?> Operations,
    IReadOnlyList<Instance> Instances,
    IReadOnlyDictionary<string, Instance?> Lookups,
    IReadOnlyList<Server> Servers,
    IReadOnlyDictionary<string, IReadOnlySet<string>> AgentInstances,
    IReadOnlyList<Tenant> Tenants,
    IReadOnlySet<AuditedChange> Audited,
    AuditVerification Verification,
    IReadOnlyList<string>? StoredUnfinished = null)
{
    /// <summary>An instance by id: from the tenants' lists first, else the single lookups.</summary>
    public Instance? Find(string id)
    {
        _byId ??= Instances.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First());
        return _byId.TryGetValue(id, out var listed) ? listed : Lookups.GetValueOrDefault(id);
    }

    /// <summary>How much the checks read: evidence that they did not hold on nothing.</summary>
    public string Coverage =>
        $"read {Operations.Count} operations, {Instances.Count} instances of the campaign's tenants ({Instances.Count(i => i.State == InstanceState.Running)} RUNNING), " +
        $"{Servers.Count} servers with {Servers.Sum(s => s.Allocations.Count)} allocations, {AgentInstances.Count} agents' lists, {Audited.Count} audit records";

    private Dictionary<string, Instance>? _byId;
}
