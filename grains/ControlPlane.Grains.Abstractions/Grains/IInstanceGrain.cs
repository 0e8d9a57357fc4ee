using ControlPlane.Model;

namespace ControlPlane.Grains;

/// <summary>An instance (key: instance id): the authority on its record, from admission to deletion.</summary>
public interface IInstanceGrain : IGrainWithStringKey
{
    /// <summary>Records a new instance; recording the same instance again returns the record.</summary>
    Task<InstanceInfo> CreateAsync(InstanceInfo instance);

    Task<InstanceInfo> UpdateAsync(string zone, string serverId, InstanceState state);

    /// <summary>Marks a running instance as deleting by <paramref name="operationId"/>; refuses one that another operation holds.</summary>
    Task<InstanceInfo> BeginDeleteAsync(string operationId);

    /// <summary>Forgets the instance (deleted, or never provisioned). Idempotent.</summary>
    Task RemoveAsync();

    /// <summary>The instance, or null when it does not exist.</summary>
    Task<InstanceInfo?> GetAsync();
}
