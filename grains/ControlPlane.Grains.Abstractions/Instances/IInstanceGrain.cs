namespace ControlPlane.Grains.Abstractions.Instances;

/// <summary>An instance (key: instance id): the authority on its record, from admission to deletion.</summary>
public interface IInstanceGrain : IGrainWithStringKey
{
    /// <summary>Records a new instance; recording the same instance again returns the record.</summary>
    Task<InstanceInfo> CreateAsync(InstanceInfo instance);

    /// <summary>
    /// Records the instance running as <paramref name="running"/> has it (a create's only write of the record), or, when it
    /// already has a record, marks that running on its server. Idempotent.
    /// </summary>
    Task<InstanceInfo> RecordRunningAsync(InstanceInfo running);

    Task<InstanceInfo> UpdateAsync(string zone, string serverId, InstanceState state);

    /// <summary>Marks a running instance as deleting by <paramref name="operationId"/>; refuses one that another operation holds.</summary>
    Task<InstanceInfo> BeginDeleteAsync(string operationId);

    /// <summary>Refuses as <see cref="BeginDeleteAsync"/> refuses a new deletion (an instance another operation holds), changing nothing: a dry run.</summary>
    Task CheckDeleteAsync();

    /// <summary>Gives a running instance back after a delete that could not reach the agent.</summary>
    Task<InstanceInfo> AbandonDeleteAsync(string operationId);

    /// <summary>Claims a running instance for a move off <paramref name="fromServerId"/>; a new generation of its placement.</summary>
    Task<InstanceInfo> BeginMoveAsync(string operationId, string fromServerId, bool live);

    /// <summary>Records the instance running on its new server (in another region after a failover or failback, with the region it came from).</summary>
    Task<InstanceInfo> CompleteMoveAsync(string operationId, InstanceInfo target);

    /// <summary>Marks the instance protected (or not) by disaster recovery; returns it.</summary>
    Task<InstanceInfo> SetDrProtectedAsync(bool protect);

    /// <summary>Releases the claim of a move that failed; the instance stays where it was.</summary>
    Task<InstanceInfo> AbandonMoveAsync(string operationId, string message);

    /// <summary>Records what reconciliation observed (a condition), when the instance is still on <paramref name="serverId"/>.</summary>
    Task ObserveAsync(string serverId, string type, bool status, string reason, string message);

    /// <summary>Forgets the instance (deleted, or never provisioned). Idempotent.</summary>
    Task RemoveAsync();

    /// <summary>The instance, or null when it does not exist (a create's instance exists from its admission: its operation holds it until it runs).</summary>
    Task<InstanceInfo?> GetAsync();
}
