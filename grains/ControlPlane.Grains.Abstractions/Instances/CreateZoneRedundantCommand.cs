namespace ControlPlane.Grains.Abstractions.Instances;

/// <summary>
/// A validated CreateZoneRedundantInstances request: <see cref="Count"/> instances named
/// "<see cref="Name"/>-1" to "-N", one in each of <see cref="Count"/> distinct zones of the region.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.CreateZoneRedundantCommand")]
public sealed record CreateZoneRedundantCommand(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Size,
    [property: Id(4)] string Region,
    [property: Id(5)] int Count)
{
    public string Fingerprint => $"zone-redundant|{TenantId}|{Name}|{Size}|{Region}|{Count}";

    public string MemberName(int index) => $"{Name}-{index + 1}";
}
