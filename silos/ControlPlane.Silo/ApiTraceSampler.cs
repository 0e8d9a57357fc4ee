using System.Diagnostics;
using OpenTelemetry.Trace;

namespace ControlPlane.Silo;

/// <summary>
/// Which traces are kept: every call of the API (an incoming request to the gateway), whatever its caller sent; a span
/// under a parent as the parent was decided (parent-based), so that a trace is whole or absent; and, of the other roots
/// (the platform's own work: timers, reconciliation, the topology poll, reminders), a share of
/// <see cref="SiloHostOptions.BackgroundTraceRatio"/>, decided by trace id.
/// </summary>
public sealed class ApiTraceSampler(double backgroundRatio) : Sampler
{
    /// <summary>The span ASP.NET Core starts for each incoming request (a gRPC call of the API among them).</summary>
    public const string IncomingRequest = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    private readonly TraceIdRatioBasedSampler _background = new(backgroundRatio);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.Name == IncomingRequest) return Keep;
        if (samplingParameters.ParentContext.TraceId != default)
        {
            return samplingParameters.ParentContext.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? Keep : Drop;
        }
        return _background.ShouldSample(samplingParameters);
    }
}
