namespace ControlPlane.Grains;

[GenerateSerializer, Alias("cp.InstanceLocatorState")]
public sealed class InstanceLocatorState
{
    [Id(0)] public string? TenantId { get; set; }
}
