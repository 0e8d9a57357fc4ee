using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Errors;

/// <summary>An error a client can act on: a gRPC code, a stable reason, a message and details.</summary>
[GenerateSerializer, Immutable, Alias("cp.DomainError")]
public sealed record DomainError(
    [property: Id(0)] ErrorStatus Code,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Message,
    [property: Id(3)] ImmutableDictionary<string, string> Metadata,
    [property: Id(4)] ImmutableArray<FieldViolation> FieldViolations)
{
    public static DomainError Of(ErrorStatus code, string reason, string message, params (string Key, string Value)[] metadata) =>
        new(code, reason, message,
            metadata.ToImmutableDictionary(m => m.Key, m => m.Value),
            ImmutableArray<FieldViolation>.Empty);

    public static DomainError BadRequest(string reason, string message, IEnumerable<FieldViolation> violations) =>
        new(ErrorStatus.InvalidArgument, reason, message, ImmutableDictionary<string, string>.Empty, [.. violations]);

    public static DomainError BadField(string reason, string field, string description) =>
        BadRequest(reason, description, [new FieldViolation(field, description)]);

    public DomainError With(string key, string value) => this with { Metadata = Metadata.SetItem(key, value) };

    public ControlPlaneException ToException() => new(this);
}
