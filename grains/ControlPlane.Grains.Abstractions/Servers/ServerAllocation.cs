using ControlPlane.Domain.Capacity;

namespace ControlPlane.Grains.Abstractions.Servers;

/// <summary>What one instance holds on one server.</summary>
[GenerateSerializer, Immutable, Alias("cp.ServerAllocation")]
public sealed record ServerAllocation(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Size,
    [property: Id(3)] ResourceAmount Resources,
    [property: Id(4)] string GpuModel)
{
    /// <summary>The anti-affinity group key of the instance, or "": a server never holds two members of a group.</summary>
    [Id(5)] public string AntiAffinityGroup { get; init; } = "";

    /// <summary>
    /// A disaster-recovery reservation (id "dr:&lt;instance id&gt;"): capacity held for an instance of
    /// another region to fail over to; nothing runs. The instance's own allocation takes its place.
    /// </summary>
    [Id(6)] public bool IsReservation { get; init; }

    public static string ReservationId(string instanceId) => $"dr:{instanceId}";
}
