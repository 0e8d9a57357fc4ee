namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.TenantDirectoryState")]
public sealed class TenantDirectoryState
{
    [Id(0)] public SortedSet<string> TenantIds { get; set; } = new(StringComparer.Ordinal);
}
