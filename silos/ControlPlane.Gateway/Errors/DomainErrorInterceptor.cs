using ControlPlane.Grains.Abstractions.Errors;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Gateway.Errors;

/// <summary>
/// Maps what a call throws to a gRPC status: domain errors to their code and reason, a cluster
/// that cannot answer to Unavailable (safe to retry: every change is idempotent by request_id).
/// Streaming calls (server reflection among them) are mapped as unary ones are.
/// </summary>
public sealed partial class DomainErrorInterceptor(ILogger<DomainErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Map(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Map(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (Map(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (Map(e, context) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>The retry delay a CLUSTER_UNAVAILABLE or UNEXPECTED_FAILURE answer suggests.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The status a thrown exception becomes, or null to let it through as it is: an RpcException already is one, and a call
    /// the caller cancelled (or whose deadline passed) is answered CANCELLED or DEADLINE_EXCEEDED by the server.
    /// Never UNKNOWN or INTERNAL: what is not a domain error is UNAVAILABLE, and every change is idempotent by request_id.
    /// </summary>
    internal RpcException? Map(Exception e, ServerCallContext context)
    {
        if (e is RpcException) return null;
        if (e is ControlPlaneException domain) return RpcErrors.ToRpcException(domain.Error);
        if (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested) return null;
        if (IsClusterUnavailable(e))
        {
            LogUnavailable(logger, e, context.Method);
            return RpcErrors.Unavailable(ErrorReasons.ClusterUnavailable,
                $"the control plane could not complete {context.Method}: a silo was lost or did not answer in time; retry with the same request_id", RetryDelay);
        }
        LogUnexpected(logger, e, context.Method);
        return RpcErrors.Unavailable(ErrorReasons.UnexpectedFailure,
            $"the control plane failed unexpectedly on {context.Method}; retry with the same request_id", RetryDelay);
    }

    /// <summary>
    /// The cluster's trouble, not the request's: a silo lost or unreachable, a grain call timed out or was cancelled by the
    /// runtime, a storage error that reached the gateway (raw, or wrapped by Orleans).
    /// </summary>
    public static bool IsClusterUnavailable(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is TimeoutException or OrleansException or OperationCanceledException or System.Data.Common.DbException or IOException) return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Method} answered Unavailable: the cluster did not answer")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {Method} failed unexpectedly; answered Unavailable (UNEXPECTED_FAILURE)")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
