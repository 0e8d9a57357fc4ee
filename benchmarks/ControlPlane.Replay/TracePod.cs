namespace ControlPlane.Replay;

/// <summary>
/// A request of the trace. A pod with <see cref="NumGpu"/> GPUs needs <see cref="GpuMilli"/>
/// thousandths of each of that many GPUs (below 1000: a share of one GPU that other pods may use).
/// <see cref="GpuModels"/> is empty when any model will do.
/// </summary>
public sealed record TracePod(
    string Name, long CpuMilli, long MemoryMib, int NumGpu, int GpuMilli, IReadOnlyList<string> GpuModels,
    long CreationTime, long DeletionTime)
{
    /// <summary>The GPU share this pod takes in all (thousandths of a GPU).</summary>
    public long TotalGpuMilli => (long)NumGpu * GpuMilli;

    public bool AcceptsModel(string model) => NumGpu == 0 || GpuModels.Count == 0 || GpuModels.Contains(model);
}
