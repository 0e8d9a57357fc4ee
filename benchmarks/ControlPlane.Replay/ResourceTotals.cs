namespace ControlPlane.Replay;

/// <summary>Amounts in the trace's units: thousandths of a core, MiB, thousandths of a GPU.</summary>
public readonly record struct ResourceTotals(long CpuMilli, long MemoryMib, long GpuMilli)
{
    public static ResourceTotals operator +(ResourceTotals a, ResourceTotals b) =>
        new(a.CpuMilli + b.CpuMilli, a.MemoryMib + b.MemoryMib, a.GpuMilli + b.GpuMilli);

    public double Cores => CpuMilli / 1000.0;
    public double MemoryGib => MemoryMib / 1024.0;
    public double Gpus => GpuMilli / 1000.0;
}
