namespace ControlPlane.Grains.Abstractions.Access;

/// <summary>A registered principal. Its employer and operations centre come from here, not from its token.</summary>
[GenerateSerializer, Immutable, Alias("cp.PrincipalRecord")]
public sealed record PrincipalRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] PrincipalKind Kind,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] string Employer,
    [property: Id(4)] string OpsCentre,
    [property: Id(5)] DateTimeOffset RegisteredAt,
    [property: Id(6)] string RegisteredBy);
