using ControlPlane.Domain.DisasterRecovery;
using ControlPlane.Grains.Abstractions.DisasterRecovery;

namespace ControlPlane.Grains.DisasterRecovery;

[GenerateSerializer, Alias("cp.DisasterRecoveryState")]
public sealed class DisasterRecoveryState
{
    [Id(0)] public Dictionary<string, DrProtection> Protections { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public DrMode Mode { get; set; } = DrMode.Normal;

    /// <summary>The last failover or failback, as it progresses.</summary>
    [Id(2)] public DrRun? Run { get; set; }

    /// <summary>The instances the running failover or failback still has to move, with their attempts so far.</summary>
    [Id(3)] public Dictionary<string, int> Pending { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether the running failover has listed the unprotected instances it leaves behind.</summary>
    [Id(4)] public bool LostListed { get; set; }
}
