using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Gateway.Security;

/// <summary>
/// Every method of the API and what it needs. A method missing here is refused (a test checks that
/// every method of every service is listed), so a new method cannot be reached unchecked.
/// </summary>
public static class MethodRules
{
    private const string Prefix = "/controlplane.v1.";

    private static readonly MethodRule Authenticated = new(null);

    private static readonly Dictionary<string, MethodRule> Rules = new(StringComparer.Ordinal)
    {
        ["Topology/ListRegions"] = new(Permission.ReadPlatform),
        ["Topology/ListZones"] = new(Permission.ReadPlatform),
        ["Topology/ListSizes"] = new(Permission.ReadPlatform),
        ["Topology/ListServers"] = new(Permission.ReadInfrastructure),
        ["Topology/GetServer"] = new(Permission.ReadInfrastructure),
        ["Topology/ListTopologyChanges"] = new(Permission.ReadInfrastructure),
        ["Topology/AddZone"] = new(Permission.Administer),
        ["Topology/SetRegionRole"] = new(Permission.Administer),
        ["Topology/RetireZone"] = new(Permission.Administer),

        ["Tenants/CreateTenant"] = new(Permission.CreateTenant, ScopeSource.Platform),
        ["Tenants/GetTenant"] = new(Permission.ReadTenant, ScopeSource.TenantField, "id"),
        ["Tenants/ListTenants"] = new(Permission.ReadInfrastructure),

        ["Provisioning/CreateInstance"] = new(Permission.WriteTenant, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Provisioning/CreateZoneRedundantInstances"] = new(Permission.WriteTenant, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Provisioning/DeleteInstance"] = new(Permission.WriteTenant, ScopeSource.InstanceField, ErrorMetadata.InstanceId),
        ["Provisioning/GetOperation"] = new(Permission.ReadTenant, ScopeSource.OperationField, "id"),
        ["Provisioning/WaitOperation"] = new(Permission.ReadTenant, ScopeSource.OperationField, "id"),
        // No tenant named: every tenant's operations, the platform scope (operators); a tenant's member names his tenant.
        ["Provisioning/ListOperations"] = new(Permission.ReadTenant, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Provisioning/GetInstance"] = new(Permission.ReadTenant, ScopeSource.InstanceField, "id"),
        ["Provisioning/ListInstances"] = new(Permission.ReadTenant, ScopeSource.TenantField, ErrorMetadata.TenantId),

        ["Servers/CordonServer"] = new(Permission.Administer),
        ["Servers/UncordonServer"] = new(Permission.Administer),
        ["Servers/DrainServer"] = new(Permission.Administer),
        ["Servers/MarkServerFailed"] = new(Permission.Administer),
        ["Servers/DecommissionServer"] = new(Permission.Administer),
        ["Servers/CommissionServer"] = new(Permission.Administer),

        ["Catalog/ListOffers"] = new(Permission.ReadPlatform),
        ["Catalog/GetOffer"] = new(Permission.ReadPlatform),
        ["Catalog/SetOfferState"] = new(Permission.ManageCatalogue, ScopeSource.Platform),

        ["Services/OrderService"] = new(Permission.WriteTenant, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Services/CancelService"] = new(Permission.WriteTenant, ScopeSource.ServiceField, ErrorMetadata.ServiceId),
        ["Services/GetService"] = new(Permission.ReadTenant, ScopeSource.ServiceField, "id"),
        ["Services/ListServices"] = new(Permission.ReadTenant, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Services/SetServiceSeats"] = new(Permission.WriteTenant, ScopeSource.ServiceField, ErrorMetadata.ServiceId),

        ["DisasterRecovery/SetInstanceProtection"] = new(Permission.WriteTenant, ScopeSource.InstanceField, ErrorMetadata.InstanceId),
        ["DisasterRecovery/GetRegionProtection"] = new(Permission.ReadInfrastructure),
        ["DisasterRecovery/Failover"] = new(Permission.Administer),
        ["DisasterRecovery/Failback"] = new(Permission.Administer),

        ["Billing/GetInvoicePreview"] = new(Permission.ReadTenant, ScopeSource.TenantField, ErrorMetadata.TenantId),

        ["Audit/ListAuditRecords"] = new(Permission.ReadAudit, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Audit/VerifyAuditLog"] = new(Permission.ReadAudit, ScopeSource.Platform),

        ["Diagnostics/Ping"] = Authenticated,
        ["Diagnostics/ListClusterMembers"] = new(Permission.ReadInfrastructure),
        ["Events/ListEvents"] = new(Permission.ReadInfrastructure),

        ["Access/WhoAmI"] = Authenticated,
        ["Access/RegisterPrincipal"] = new(Permission.ManageAccess, ScopeSource.Platform),
        ["Access/ListPrincipals"] = new(Permission.ReadAudit, ScopeSource.Platform),
        ["Access/AssignRole"] = new(Permission.ManageAccess, ScopeSource.Platform),
        ["Access/RevokeRole"] = new(Permission.ManageAccess, ScopeSource.Platform),
        ["Access/WhoCan"] = new(Permission.ReadAudit, ScopeSource.Platform),
        ["Access/WhatCan"] = Authenticated,
        ["Access/SealPlatform"] = new(Permission.ManageAccess, ScopeSource.Platform),
        ["Access/UnsealPlatform"] = new(Permission.ManageAccess, ScopeSource.Platform),

        ["Approvals/RequestApproval"] = Authenticated,
        ["Approvals/Approve"] = Authenticated,
        ["Approvals/Reject"] = Authenticated,
        ["Approvals/GetApproval"] = new(Permission.ReadInfrastructure),
        ["Approvals/ListApprovals"] = new(Permission.ReadInfrastructure),

        ["Lockbox/RequestTenantAccess"] = new(Permission.RequestTenantAccess, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Lockbox/ApproveTenantAccess"] = new(Permission.DecideTenantAccess, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Lockbox/RejectTenantAccess"] = new(Permission.DecideTenantAccess, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Lockbox/RevokeTenantAccess"] = Authenticated,
        ["Lockbox/BreakGlass"] = new(Permission.RequestTenantAccess, ScopeSource.TenantField, ErrorMetadata.TenantId),
        ["Lockbox/ReviewBreakGlass"] = new(Permission.ManageAccess, ScopeSource.Platform),
        ["Lockbox/ListTenantAccess"] = Authenticated,

        ["DataExport/ExportTenant"] = new(Permission.ReadTenant, ScopeSource.TenantField, ErrorMetadata.TenantId),
    };

    /// <summary>The health service answers anyone (load balancers, probes); reflection needs a caller.</summary>
    private static readonly MethodRule Health = new(null, Anonymous: true);

    public static IReadOnlyCollection<string> Listed => Rules.Keys;

    /// <summary>The rule of a full method name ("/controlplane.v1.Topology/ListRegions"); null: not a method anyone may call.</summary>
    public static MethodRule? For(string method)
    {
        if (method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal)) return Health;
        if (method.StartsWith("/grpc.reflection.", StringComparison.Ordinal)) return Authenticated;
        return method.StartsWith(Prefix, StringComparison.Ordinal) && Rules.TryGetValue(method[Prefix.Length..], out var rule) ? rule : null;
    }
}
