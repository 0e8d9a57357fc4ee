using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Access;

[GenerateSerializer, Alias("cp.ApprovalsState")]
public sealed class ApprovalsState
{
    [Id(0)] public long LastSequence { get; set; }
    /// <summary>Oldest first.</summary>
    [Id(1)] public List<ApprovalInfo> Requests { get; set; } = [];
}
