using ControlPlane.Grains.Abstractions.Scheduling;

namespace ControlPlane.Grains.Abstractions.Instances;

/// <summary>A validated CreateInstance request. <see cref="Zone"/> is empty when the caller left the choice to placement.</summary>
[GenerateSerializer, Immutable, Alias("cp.CreateInstanceCommand")]
public sealed record CreateInstanceCommand(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Size,
    [property: Id(4)] string Region,
    [property: Id(5)] string Zone)
{
    /// <summary>Optional: the tenant's anti-affinity group the instance belongs to, and how far apart its members must be.</summary>
    [Id(6)] public string AntiAffinityGroup { get; init; } = "";
    [Id(7)] public AntiAffinityScope AntiAffinityScope { get; init; }

    /// <summary>The body that the idempotency key stands for.</summary>
    public string Fingerprint => $"create|{TenantId}|{Name}|{Size}|{Region}|{Zone}"
        + (AntiAffinityGroup.Length > 0 ? $"|anti-affinity:{AntiAffinityGroup}:{AntiAffinityScope}" : "");
}
