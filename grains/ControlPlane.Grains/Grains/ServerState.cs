using ControlPlane.Model;

namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.ServerState")]
public sealed class ServerState
{
    [Id(0)] public Dictionary<string, ServerAllocation> Allocations { get; set; } = new(StringComparer.Ordinal);
}
