using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>
/// Who sees an operation, decided the same way by the gateway (GetOperation, WaitOperation) and the
/// operation grain (a request that reaches an existing operation): a caller allowed on its tenant
/// (<see cref="TenantAccess"/>: the tenant's principals, the tooling, an operator with a lockbox
/// grant); an operation that names no tenant (a refused deletion of an unknown instance) only a caller
/// allowed on every tenant; an operation of the infrastructure (a server's drain, which names a server and no tenant) a
/// caller who reads the infrastructure (<see cref="Permission.ReadInfrastructure"/>: operators, tooling, auditors). To anybody else it is answered as one that does not exist, so that the
/// answer does not tell another tenant which operations exist.
/// </summary>
public static class OperationAccess
{
    public static Task<bool> MaySeeAsync(IGrainFactory grains, Caller? caller, Permission permission, OperationInfo operation) =>
        operation is { TenantId.Length: 0, ServerId.Length: > 0 }
            ? Task.FromResult(caller is null || caller.IsDevelopment || AccessPolicy.Holds(caller, Permission.ReadInfrastructure, Scopes.Platform))
            : MaySeeAsync(grains, caller, permission, operation.TenantId);

    public static async Task<bool> MaySeeAsync(IGrainFactory grains, Caller? caller, Permission permission, string tenantId)
    {
        if (caller is null || caller.IsDevelopment) return true;
        return tenantId.Length > 0 ? await TenantAccess.AllowsAsync(grains, caller, permission, tenantId)
            : AccessPolicy.Holds(caller, permission, Scopes.Platform);
    }

    /// <summary>
    /// What a request that is not allowed to see <paramref name="operation"/> gets instead: the answer it would get if
    /// the operation did not exist — a deletion or cancellation of what is gone is refused as not found (the refusal
    /// carries the operation id, as a new refused request's does), any other request as an unknown operation.
    /// </summary>
    public static ControlPlaneException Unseen(OperationInfo operation) => operation.Kind switch
    {
        OperationKind.DeleteInstance => new(Failures.InstanceNotFound(operation.InstanceId).Error.With(ErrorMetadata.OperationId, operation.Id)),
        OperationKind.CancelService => new(Failures.ServiceNotFound(operation.ServiceId).Error.With(ErrorMetadata.OperationId, operation.Id)),
        _ => Failures.OperationNotFound(operation.Id),
    };
}
