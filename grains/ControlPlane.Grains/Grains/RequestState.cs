namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.RequestState")]
public sealed class RequestState
{
    [Id(0)] public string? Fingerprint { get; set; }
    [Id(1)] public string OperationId { get; set; } = "";
    [Id(2)] public string InstanceId { get; set; } = "";
    [Id(3)] public List<string> InstanceIds { get; set; } = [];
}
