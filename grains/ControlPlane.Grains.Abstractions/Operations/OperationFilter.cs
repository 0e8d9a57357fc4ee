namespace ControlPlane.Grains.Abstractions.Operations;

/// <summary>What a listing of operations keeps: null for "any".</summary>
[GenerateSerializer, Immutable, Alias("cp.OperationFilter")]
public sealed record OperationFilter(
    [property: Id(0)] OperationState? State,
    [property: Id(1)] OperationKind? Kind)
{
    public bool Keeps(OperationInfo o) => (State is null || o.State == State) && (Kind is null || o.Kind == Kind);
}
