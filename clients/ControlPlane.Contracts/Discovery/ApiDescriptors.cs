using Google.Protobuf.Reflection;

namespace ControlPlane.Contracts.Discovery;

/// <summary>
/// The API's .proto files as protoc compiled them at build, with their comments (source info) and imports, and the error
/// details the API sends (google/rpc/error_details.proto: ErrorInfo, BadRequest, RetryInfo …). The generated C# descriptors
/// carry neither the comments nor the error details; a generic client needs both.
/// </summary>
public static class ApiDescriptors
{
    /// <summary>The file of the error details every error's google.rpc.Status carries.</summary>
    public const string ErrorDetailsFile = "google/rpc/error_details.proto";

    private const string ResourceName = "controlplane.protoset";

    public static FileDescriptorSet ReadSet()
    {
        using var stream = typeof(ApiDescriptors).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the assembly {typeof(ApiDescriptors).Assembly.GetName().Name} embeds no {ResourceName}");
        return FileDescriptorSet.Parser.ParseFrom(stream);
    }
}
