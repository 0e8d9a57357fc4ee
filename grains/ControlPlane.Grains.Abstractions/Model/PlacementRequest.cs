namespace ControlPlane.Model;

[GenerateSerializer, Immutable, Alias("cp.PlacementRequest")]
public sealed record PlacementRequest(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Size,
    [property: Id(3)] ResourceAmount Resources,
    [property: Id(4)] string GpuModel,
    [property: Id(5)] string Zone);
