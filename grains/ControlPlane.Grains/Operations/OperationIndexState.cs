using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Operations;

[GenerateSerializer, Alias("cp.OperationIndexState")]
public sealed class OperationIndexState
{
    /// <summary>The operations held, in no particular order (at most <see cref="OperationOptions.IndexCapacity"/>).</summary>
    [Id(0)] public List<OperationInfo> Operations { get; set; } = [];
}
