namespace ControlPlane.Faults.Analysis;

/// <summary>A span with no acknowledgement, as the client saw it.</summary>
public sealed record Gap(DateTimeOffset From, DateTimeOffset To)
{
    public TimeSpan Length => To - From;

    public static readonly Gap None = new(DateTimeOffset.MinValue, DateTimeOffset.MinValue);
}
