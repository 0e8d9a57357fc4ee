namespace ControlPlane.Grains.Abstractions.Instances;

/// <summary>
/// One observed aspect of an instance, in the manner of Kubernetes conditions: a type, whether it
/// holds, a machine-readable reason, a message for people, and when it last changed.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.InstanceCondition")]
public sealed record InstanceCondition(
    [property: Id(0)] string Type,
    [property: Id(1)] bool Status,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Message,
    [property: Id(4)] DateTimeOffset LastTransitionTime);
