using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Access;

[GenerateSerializer, Alias("cp.AccessControlState")]
public sealed class AccessControlState
{
    [Id(0)] public long Version { get; set; }
    /// <summary>Null until first set: the policy's SealedAtStart applies.</summary>
    [Id(1)] public bool? Sealed { get; set; }
    [Id(2)] public Dictionary<string, PrincipalRecord> Principals { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public List<RoleAssignment> Assignments { get; set; } = [];
}
