namespace ControlPlane.Bench;

/// <summary>The silo's resident memory before and after many instances were created.</summary>
/// <param name="Fill">The creates, closed loop, as fast as the silo takes them.</param>
/// <param name="Unfinished">Of the last operations waited for, how many had still not ended.</param>
public sealed record MemoryRun(
    int Servers,
    int Tenants,
    TimeSpan Startup,
    long? ResidentAfterWarmup,
    LoadResult Fill,
    long? ResidentAfterFill,
    long? PeakResident,
    int Unfinished);
