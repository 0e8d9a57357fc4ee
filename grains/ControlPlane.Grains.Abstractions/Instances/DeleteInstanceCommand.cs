namespace ControlPlane.Grains.Abstractions.Instances;

[GenerateSerializer, Immutable, Alias("cp.DeleteInstanceCommand")]
public sealed record DeleteInstanceCommand(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string InstanceId)
{
    public string Fingerprint => $"delete|{InstanceId}";
}
