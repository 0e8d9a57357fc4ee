namespace ControlPlane.Grains.Tenants;

[GenerateSerializer, Alias("cp.TenantDirectoryState")]
public sealed class TenantDirectoryState
{
    [Id(0)] public HashSet<string> TenantIds { get; set; } = new(StringComparer.Ordinal);
}
