using System.Diagnostics;
using ControlPlane.Grains.Agents;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace ControlPlane.Grains.Tests.Agents;

/// <summary>Agent calls are retried on transient failures and broken off per server; both show on the span.</summary>
public sealed class AgentCallPipelineTests : IDisposable
{
    private readonly ActivitySource _source = new("ControlPlane.Tests.Agents");
    private readonly ActivityListener _listener;

    public AgentCallPipelineTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == _source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }

    private static AgentCallPipeline Pipeline(int minimumThroughput = 100) => new(Options.Create(new AgentResilienceOptions
    {
        MaxRetries = 3,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        BreakerMinimumThroughput = minimumThroughput,
        BreakerFailureRatio = 0.5,
        BreakerBreakDuration = TimeSpan.FromMinutes(1),
    }));

    [Fact]
    public async Task Calls_to_one_agent_never_exceed_its_concurrency_limit_and_all_complete()
    {
        var pipeline = new AgentCallPipeline(Options.Create(new AgentResilienceOptions { MaxConcurrentCallsPerAgent = 2, MaxQueuedCallsPerAgent = 100 }));
        var inFlight = 0;
        var peak = 0;
        var done = 0;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => pipeline.ExecuteAsync("srv-busy", async ct =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(10, ct);
            Interlocked.Decrement(ref inFlight);
            Interlocked.Increment(ref done);
        }, CancellationToken.None).AsTask()));

        Assert.Equal(12, done);
        Assert.Equal(2, peak);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_each_retry_is_a_span_event()
    {
        var pipeline = Pipeline();
        var calls = 0;
        using var span = _source.StartActivity("call");

        await pipeline.ExecuteAsync("srv-1", _ => ++calls < 3 ? throw new IOException("agent unreachable") : ValueTask.CompletedTask, CancellationToken.None);

        Assert.Equal(3, calls);
        Assert.Equal(2, span!.Events.Count(e => e.Name == "agent.retry"));
    }

    [Fact]
    public async Task When_retries_run_out_the_failure_reaches_the_caller()
    {
        var pipeline = Pipeline();
        var calls = 0;

        await Assert.ThrowsAsync<IOException>(() => pipeline.ExecuteAsync("srv-2", _ => { calls++; throw new IOException("dead"); }, CancellationToken.None).AsTask());

        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task A_server_that_keeps_failing_has_its_circuit_opened_and_other_servers_are_not_affected()
    {
        var pipeline = Pipeline(minimumThroughput: 2);
        using var span = _source.StartActivity("call");
        var calls = 0;

        await Assert.ThrowsAnyAsync<Exception>(() => pipeline.ExecuteAsync("srv-dead", _ => { calls++; throw new IOException("dead"); }, CancellationToken.None).AsTask());
        var afterOpen = calls;
        await Assert.ThrowsAsync<BrokenCircuitException>(() => pipeline.ExecuteAsync("srv-dead", _ => { calls++; return ValueTask.CompletedTask; }, CancellationToken.None).AsTask());

        Assert.Equal(afterOpen, calls);
        Assert.True(span!.Events.Any(e => e.Name == "agent.circuit_opened"), string.Join(",", span.Events.Select(e => e.Name)));
        await pipeline.ExecuteAsync("srv-alive", _ => ValueTask.CompletedTask, CancellationToken.None);
    }
}
