using System.Collections.Immutable;

namespace ControlPlane.Grains.Abstractions.Operations;

/// <summary>
/// The answer to a dry run (validate_only) of a request that starts an operation: every check passed, nothing was
/// stored or held. <see cref="Operation"/> has no id unless the request had already started one (then it is that
/// operation); <see cref="Zones"/> are where its instances would be placed, in order.
/// </summary>
[GenerateSerializer, Immutable, Alias("cp.OperationPreview")]
public sealed record OperationPreview(
    [property: Id(0)] OperationInfo Operation,
    [property: Id(1)] ImmutableArray<string> Zones);
