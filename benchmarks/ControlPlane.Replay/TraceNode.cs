namespace ControlPlane.Replay;

/// <summary>A server of the trace: CPU in thousandths of a core, memory in MiB, whole GPUs of one model.</summary>
public sealed record TraceNode(string Name, long CpuMilli, long MemoryMib, int Gpus, string Model);
