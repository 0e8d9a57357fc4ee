using System.Reflection;
using Google.Protobuf.Reflection;

namespace ControlPlane.Faults.Hostile;

/// <summary>The methods a gateway serves, read from the API's own descriptors (the agent's and the simulated fleet's services are not the gateway's).</summary>
public static class GatewayMethods
{
    private static readonly string[] NotGateway = ["Agent", "FleetControl"];

    public static List<MethodDescriptor> All() =>
        [.. typeof(Contracts.V1.Access).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .SelectMany(f => f.Services)
            .Where(s => s.File.Package == "controlplane.v1" && !NotGateway.Contains(s.Name))
            .SelectMany(s => s.Methods)
            .DistinctBy(m => m.FullName)
            .OrderBy(m => m.FullName, StringComparer.Ordinal)];

    public static List<MethodDescriptor> Unary() => [.. All().Where(m => !m.IsClientStreaming && !m.IsServerStreaming)];
}
