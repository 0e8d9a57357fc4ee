namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>What a principal may do, on a scope (<see cref="Scopes"/>).</summary>
public enum Role
{
    /// <summary>Infrastructure: servers, zones, regions, disaster recovery; tenants' resources only through a lockbox grant.</summary>
    Operator = 1,
    /// <summary>Internal provisioning tooling: tenants, instances, services.</summary>
    Tooling = 2,
    /// <summary>A tenant's own administrator: its instances and services, its audit records, lockbox approvals.</summary>
    TenantAdmin = 3,
    /// <summary>Reads the audit log and the platform's state; changes nothing.</summary>
    Auditor = 4,
    /// <summary>Principals and roles, seal and unseal, four-eyes approvals, break-glass reviews.</summary>
    SecurityOfficer = 5,
}
