namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.RequestState")]
public sealed class RequestState
{
    [Id(0)] public string? Fingerprint { get; set; }
    [Id(1)] public string OperationId { get; set; } = "";
    /// <summary>The instance the operation acts on; for a service order or cancellation, the service.</summary>
    [Id(2)] public string InstanceId { get; set; } = "";
    [Id(3)] public List<string> InstanceIds { get; set; } = [];
}
