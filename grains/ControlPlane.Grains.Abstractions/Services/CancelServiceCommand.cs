namespace ControlPlane.Grains.Abstractions.Services;

[GenerateSerializer, Immutable, Alias("cp.CancelServiceCommand")]
public sealed record CancelServiceCommand(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string ServiceId)
{
    public string Fingerprint => $"cancel-service|{ServiceId}";
}
