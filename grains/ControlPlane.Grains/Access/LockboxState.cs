using ControlPlane.Grains.Abstractions.Access;

namespace ControlPlane.Grains.Access;

[GenerateSerializer, Alias("cp.LockboxState")]
public sealed class LockboxState
{
    [Id(0)] public long LastSequence { get; set; }
    /// <summary>Oldest first.</summary>
    [Id(1)] public List<AccessGrant> Grants { get; set; } = [];
}
