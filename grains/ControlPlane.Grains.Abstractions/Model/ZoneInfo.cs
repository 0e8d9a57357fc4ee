namespace ControlPlane.Model;

[GenerateSerializer, Immutable, Alias("cp.ZoneInfo")]
public sealed record ZoneInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Region,
    [property: Id(2)] string Datacentre,
    [property: Id(3)] ResourceAmount Total,
    [property: Id(4)] ResourceAmount Free,
    [property: Id(5)] int ServerCount,
    [property: Id(6)] int InstanceCount);
