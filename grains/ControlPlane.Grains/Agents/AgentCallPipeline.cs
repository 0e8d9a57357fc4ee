using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Grains.Abstractions.Errors;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ControlPlane.Grains.Agents;

/// <summary>
/// Polly pipelines around agent calls, one per server (created on first use): a retry with
/// jittered exponential backoff for transient failures, over a concurrency limit per agent, over a
/// circuit breaker that stops calling a server whose agent keeps failing, over a per-attempt timeout. Retries and breaker state
/// changes are events on the current span.
/// </summary>
public sealed class AgentCallPipeline(IOptions<AgentResilienceOptions> options)
{
    // Polly may raise breaker events outside the caller's async flow: carry the span in the context.
    private static readonly ResiliencePropertyKey<Activity?> Span = new("controlplane.span");

    // Lazy: each server's pipeline, and so its breaker and the state provider read by CircuitOf, is built exactly once.
    private readonly ConcurrentDictionary<string, Lazy<(ResiliencePipeline Pipeline, CircuitBreakerStateProvider Circuit)>> _servers = new(StringComparer.Ordinal);

    /// <summary>The state of a server's breaker: "closed", "open", "half_open", "isolated", or "unused" before its first call.</summary>
    public string CircuitOf(string serverId) => _servers.TryGetValue(serverId, out var server) && server.IsValueCreated ? server.Value.Circuit.CircuitState switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        _ => "isolated",
    } : "unused";

    public async ValueTask ExecuteAsync(string serverId, Func<CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        var pipeline = _servers.GetOrAdd(serverId, id => new(() => Build(id))).Value.Pipeline;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Span, Activity.Current);
        try
        {
            await pipeline.ExecuteAsync(static (ctx, state) => state(ctx.CancellationToken), context, call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private (ResiliencePipeline, CircuitBreakerStateProvider) Build(string serverId)
    {
        var o = options.Value;
        var circuit = new CircuitBreakerStateProvider();
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.BaseDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                OnRetry = args => Event(args.Context, "agent.retry", serverId, new()
                {
                    ["attempt"] = args.AttemptNumber + 1,
                    ["delay_ms"] = args.RetryDelay.TotalMilliseconds,
                    ["exception"] = args.Outcome.Exception?.Message,
                }),
            })
            // Rejections of the limiter are retried but never counted by the breaker: a busy agent is not a dead one.
            .AddConcurrencyLimiter(Math.Max(1, o.MaxConcurrentCallsPerAgent), Math.Max(0, o.MaxQueuedCallsPerAgent))
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                StateProvider = circuit,
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakerBreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not ControlPlaneException),
                OnOpened = args => Event(args.Context, "agent.circuit_opened", serverId, new() { ["break_ms"] = args.BreakDuration.TotalMilliseconds }),
                OnHalfOpened = args => Event(args.Context, "agent.circuit_half_opened", serverId, []),
                OnClosed = args => Event(args.Context, "agent.circuit_closed", serverId, []),
            })
            .AddTimeout(o.AttemptTimeout)
            .Build();
        return (pipeline, circuit);
    }

    /// <summary>Worth another try: not a domain refusal, not a cancellation, not a breaker that is open.</summary>
    private static bool IsTransient(Exception e) =>
        e is TimeoutRejectedException || e is not (ControlPlaneException or OperationCanceledException or BrokenCircuitException);

    private static ValueTask Event(ResilienceContext context, string name, string serverId, ActivityTagsCollection tags)
    {
        tags["controlplane.server"] = serverId;
        var span = context.Properties.GetValue(Span, null) ?? Activity.Current;
        span?.AddEvent(new ActivityEvent(name, tags: tags));
        return ValueTask.CompletedTask;
    }
}
