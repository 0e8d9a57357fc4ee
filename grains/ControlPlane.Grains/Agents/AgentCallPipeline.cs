using System.Diagnostics;
using ControlPlane.Errors;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ControlPlane.Agents;

/// <summary>
/// Polly pipeline around every agent call: a retry with jittered exponential backoff for
/// transient failures, over a per-attempt timeout. Each retry is an event on the current span.
/// </summary>
public sealed class AgentCallPipeline
{
    private readonly ResiliencePipeline _pipeline;

    public AgentCallPipeline(IOptions<AgentResilienceOptions> options)
    {
        var o = options.Value;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.BaseDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                OnRetry = args =>
                {
                    Activity.Current?.AddEvent(new ActivityEvent("agent.retry", tags: new ActivityTagsCollection
                    {
                        ["attempt"] = args.AttemptNumber + 1,
                        ["delay_ms"] = args.RetryDelay.TotalMilliseconds,
                        ["exception"] = args.Outcome.Exception?.Message,
                    }));
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(o.AttemptTimeout)
            .Build();
    }

    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(call, cancellationToken);

    private static bool IsTransient(Exception e) => e is not (ControlPlaneException or OperationCanceledException) || e is TimeoutRejectedException;
}
