using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Grains.Abstractions.Operations;

/// <summary>Where a caller's request_id leads: to one operation, always the same, which makes a retry safe.</summary>
public static class Requests
{
    /// <summary>The operation a request id starts or resumes.</summary>
    public static IOperationGrain Operation(this IGrainFactory grains, string requestId) =>
        grains.GetGrain<IOperationGrain>(OperationId(requestId));

    /// <summary>"op-" and 20 hexadecimal digits of the request id's SHA-256: no other operation id has that form.</summary>
    public static string OperationId(string requestId) =>
        "op-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestId)))[..20];
}
