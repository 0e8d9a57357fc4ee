namespace ControlPlane.Domain.Capacity;

/// <summary>An amount of compute: server capacity, an instance's needs, a tenant's quota or usage.</summary>
public readonly record struct ResourceAmount(
    long Cores,
    long MemoryMib,
    long Gpus)
{
    public static readonly ResourceAmount Zero = new(0, 0, 0);

    public static ResourceAmount operator +(ResourceAmount a, ResourceAmount b) =>
        new(a.Cores + b.Cores, a.MemoryMib + b.MemoryMib, a.Gpus + b.Gpus);

    public static ResourceAmount operator -(ResourceAmount a, ResourceAmount b) =>
        new(a.Cores - b.Cores, a.MemoryMib - b.MemoryMib, a.Gpus - b.Gpus);

    /// <summary>True when every dimension of <paramref name="need"/> fits in this amount.</summary>
    public bool Covers(ResourceAmount need) =>
        need.Cores <= Cores && need.MemoryMib <= MemoryMib && need.Gpus <= Gpus;

    public bool IsNegative => Cores < 0 || MemoryMib < 0 || Gpus < 0;

    public override string ToString() => $"{Cores} cores, {MemoryMib} MiB, {Gpus} GPUs";
}
