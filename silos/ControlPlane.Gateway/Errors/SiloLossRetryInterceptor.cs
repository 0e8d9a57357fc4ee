using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Messaging;
using Polly;
using Polly.Retry;

namespace ControlPlane.Gateway.Errors;

/// <summary>
/// Tries a unary call again, with a short jittered backoff, when a grain call failed because a silo was lost (the silo is
/// gone, refused the message, or the connection to it failed): while a dead silo is being detected its grains are placed
/// elsewhere on the next attempt, so the caller sees fewer UNAVAILABLE. Only reads and changes that carry a request_id
/// are tried again (a repeat finds the same operation), and only while the call's deadline leaves room for it.
/// Runs inside the error interceptor, so the audit records the call once.
/// </summary>
public sealed partial class SiloLossRetryInterceptor : Interceptor
{
    private static readonly ResiliencePropertyKey<DateTime> Deadline = new("deadline");
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _maxDelay;

    public SiloLossRetryInterceptor(GrpcGatewayOptions options, TimeProvider time, ILogger<SiloLossRetryInterceptor> logger)
    {
        _maxDelay = options.SiloLossRetryDelay * Math.Pow(2, Math.Max(0, options.SiloLossRetries - 1));
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, options.SiloLossRetries),
            Delay = options.SiloLossRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(options.SiloLossRetries > 0 && args.Outcome.Exception is { } e && IsSiloLoss(e)
                && HasTimeLeft(args.Context.Properties.GetValue(Deadline, DateTime.MaxValue), time)),
            OnRetry = args =>
            {
                LogRetry(logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!IsRepeatable(request as IMessage, context.Method)) return await continuation(request, context);
        var resilience = ResilienceContextPool.Shared.Get(context.CancellationToken);
        resilience.Properties.Set(Deadline, context.Deadline);
        try
        {
            return await _pipeline.ExecuteAsync(async _ => await continuation(request, context), resilience);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    /// <summary>A grain call that failed because its silo was lost, not because the cluster was merely slow.</summary>
    public static bool IsSiloLoss(Exception e) => e is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException;

    /// <summary>A read, or a change that carries a request_id (a repeat of it resumes the same operation).</summary>
    public static bool IsRepeatable(IMessage? request, string method) =>
        !AuditInterceptor.IsChange(method)
        || (request?.Descriptor.FindFieldByName(ErrorMetadata.RequestId) is { FieldType: FieldType.String } field
            && field.Accessor.GetValue(request) is string { Length: > 0 });

    /// <summary>Room for one more attempt before the deadline: the longest backoff and as long again for the call.</summary>
    private bool HasTimeLeft(DateTime deadline, TimeProvider time) =>
        deadline == DateTime.MaxValue || deadline - time.GetUtcNow().UtcDateTime > 2 * _maxDelay + TimeSpan.FromMilliseconds(500);

    [LoggerMessage(Level = LogLevel.Information, Message = "A silo was lost under a call; attempt {Attempt} in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, Exception? exception, int attempt, double delayMs);
}
