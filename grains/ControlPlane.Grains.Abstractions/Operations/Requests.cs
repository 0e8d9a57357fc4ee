using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Grains.Abstractions.Operations;

/// <summary>
/// Where a caller's request_id leads: to one operation, always the same, which makes a retry safe. A
/// request_id is a key within what the request acts on — the tenant a create or an order names, the
/// instance a deletion names, the service a cancellation names — never across tenants: the same
/// request_id in two tenants leads to two operations, and one tenant cannot reach or take another's.
/// An instance and a service belong to one tenant for their whole life and their ids are never used
/// again, so their keys stay inside that tenant too, and a retry finds its operation after the
/// instance or service is gone.
/// </summary>
public static class Requests
{
    /// <summary>The operation a request on tenant <paramref name="tenantId"/> (a create, an order) starts or resumes.</summary>
    public static IOperationGrain TenantOperation(this IGrainFactory grains, string tenantId, string requestId) =>
        grains.GetGrain<IOperationGrain>(OperationId("tenant:" + tenantId, requestId));

    /// <summary>The operation a deletion of instance <paramref name="instanceId"/> starts or resumes.</summary>
    public static IOperationGrain InstanceOperation(this IGrainFactory grains, string instanceId, string requestId) =>
        grains.GetGrain<IOperationGrain>(OperationId("instance:" + instanceId, requestId));

    /// <summary>The operation a cancellation of service <paramref name="serviceId"/> starts or resumes.</summary>
    public static IOperationGrain ServiceOperation(this IGrainFactory grains, string serviceId, string requestId) =>
        grains.GetGrain<IOperationGrain>(OperationId("service:" + serviceId, requestId));

    /// <summary>
    /// "op-" and 20 hexadecimal digits of the SHA-256 of the scope ("tenant:acme", "instance:i-…",
    /// "service:…"), a line feed, and the request id: no other operation id has that form. A request id
    /// holds no line feed (<see cref="Errors.Validate.RequestId"/>), so two pairs never hash the same text.
    /// </summary>
    public static string OperationId(string scope, string requestId) =>
        "op-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + requestId)))[..20];
}
