namespace ControlPlane.Grains.Abstractions.Errors;

/// <summary>One bad field of a request, as in google.rpc.BadRequest.FieldViolation.</summary>
[GenerateSerializer, Immutable, Alias("cp.FieldViolation")]
public sealed record FieldViolation(
    [property: Id(0)] string Field,
    [property: Id(1)] string Description);
