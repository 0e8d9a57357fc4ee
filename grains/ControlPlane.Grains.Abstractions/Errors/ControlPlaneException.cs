namespace ControlPlane.Grains.Abstractions.Errors;

/// <summary>A domain error crossing grain calls; the gateway turns it into a rich gRPC status.</summary>
[GenerateSerializer, Alias("cp.ControlPlaneException")]
public sealed class ControlPlaneException : Exception
{
    public ControlPlaneException(DomainError error) : base(error.Message) => Error = error;

    [Id(0)]
    public DomainError Error { get; private set; }
}
