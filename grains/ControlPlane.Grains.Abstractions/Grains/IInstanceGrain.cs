using ControlPlane.Model;

namespace ControlPlane.Grains;

/// <summary>Locates an instance (key: instance id) in the tenant that owns its record.</summary>
public interface IInstanceGrain : IGrainWithStringKey
{
    Task BindAsync(string tenantId);
    Task UnbindAsync();

    /// <summary>The owning tenant, or null when the instance does not exist.</summary>
    Task<string?> GetTenantAsync();
}
