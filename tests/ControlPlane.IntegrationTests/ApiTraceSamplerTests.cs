using System.Diagnostics;
using ControlPlane.Silo;
using OpenTelemetry.Trace;

namespace ControlPlane.IntegrationTests;

/// <summary>API calls always traced, whatever their caller sent; children as their parent; other roots at the background ratio.</summary>
public sealed class ApiTraceSamplerTests
{
    private static SamplingDecision Decide(ApiTraceSampler sampler, string name, ActivityContext parent = default, ActivityTraceId? traceId = null) =>
        sampler.ShouldSample(new SamplingParameters(parent, traceId ?? ActivityTraceId.CreateRandom(), name, ActivityKind.Server)).Decision;

    private static ActivityContext Parent(bool recorded) =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), recorded ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);

    [Fact]
    public void Every_api_call_is_traced_even_under_a_parent_that_was_not()
    {
        var sampler = new ApiTraceSampler(0);

        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, ApiTraceSampler.IncomingRequest));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, ApiTraceSampler.IncomingRequest, Parent(recorded: false)));
    }

    [Fact]
    public void A_span_under_a_parent_follows_the_parent()
    {
        var sampler = new ApiTraceSampler(0);

        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, "IZoneGrain/PlaceAsync", Parent(recorded: true)));
        Assert.Equal(SamplingDecision.Drop, Decide(new ApiTraceSampler(1), "IZoneGrain/PlaceAsync", Parent(recorded: false)));
    }

    [Fact]
    public void Roots_that_are_not_api_calls_are_kept_at_the_background_ratio()
    {
        var kept = Enumerable.Range(0, 20_000).Count(_ => Decide(new ApiTraceSampler(0.01), "ITopologyChangeLogGrain/ListAsync") == SamplingDecision.RecordAndSample);

        Assert.InRange(kept, 100, 320);
        Assert.Equal(SamplingDecision.Drop, Decide(new ApiTraceSampler(0), "IServerGrain/GetUsageAsync"));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(new ApiTraceSampler(1), "IServerGrain/GetUsageAsync"));
    }
}
