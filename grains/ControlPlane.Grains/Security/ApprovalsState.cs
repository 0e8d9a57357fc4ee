using ControlPlane.Security;

namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.ApprovalsState")]
public sealed class ApprovalsState
{
    [Id(0)] public long LastSequence { get; set; }
    /// <summary>Oldest first.</summary>
    [Id(1)] public List<ApprovalInfo> Requests { get; set; } = [];
}
