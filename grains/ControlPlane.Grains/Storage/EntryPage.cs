namespace ControlPlane.Grains.Storage;

/// <summary>One stored page of a grain's entries (<see cref="EntryPages{T}"/>).</summary>
[GenerateSerializer, Alias("cp.EntryPage`1")]
public sealed class EntryPage<T>
{
    [Id(0)] public Dictionary<string, T> Entries { get; set; } = new(StringComparer.Ordinal);
}
