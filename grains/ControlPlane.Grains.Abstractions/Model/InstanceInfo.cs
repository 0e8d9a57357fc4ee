namespace ControlPlane.Model;

/// <summary>An instance. <see cref="OperationId"/> names the operation acting on it (creating or deleting it).</summary>
[GenerateSerializer, Immutable, Alias("cp.InstanceInfo")]
public sealed record InstanceInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Size,
    [property: Id(4)] ResourceAmount Resources,
    [property: Id(5)] string Region,
    [property: Id(6)] string Zone,
    [property: Id(7)] string ServerId,
    [property: Id(8)] InstanceState State,
    [property: Id(9)] DateTimeOffset CreateTime,
    [property: Id(10)] DateTimeOffset UpdateTime,
    [property: Id(11)] string OperationId = "");
