namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>What a call needs. Roles grant permissions on scopes (<see cref="AccessPolicy"/>).</summary>
public enum Permission
{
    /// <summary>The public face of the platform: regions, zones, sizes, catalogue.</summary>
    ReadPlatform,
    /// <summary>Servers, operations of the infrastructure, events, disaster-recovery status.</summary>
    ReadInfrastructure,
    /// <summary>Changes to servers, zones, regions and disaster recovery, from the piloting centre.</summary>
    Administer,
    ManageCatalogue,
    CreateTenant,
    ReadTenant,
    WriteTenant,
    ReadAudit,
    ManageAccess,
    /// <summary>An operator asks a tenant for a lockbox grant, or for break-glass.</summary>
    RequestTenantAccess,
    /// <summary>A tenant's administrator approves, rejects or revokes lockbox grants.</summary>
    DecideTenantAccess,
}
