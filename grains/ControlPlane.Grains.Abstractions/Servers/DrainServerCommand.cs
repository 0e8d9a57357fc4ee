namespace ControlPlane.Grains.Abstractions.Servers;

/// <summary>Drains <see cref="ServerId"/>: sent by its server's grain, which is DRAINING under the operation it starts.</summary>
[GenerateSerializer, Immutable, Alias("cp.DrainServerCommand")]
public sealed record DrainServerCommand([property: Id(0)] string ServerId);
