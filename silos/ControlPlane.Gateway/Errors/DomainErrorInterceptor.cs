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

    /// <summary>The status a thrown exception becomes, or null to let it through as it is.</summary>
    private RpcException? Map(Exception e, ServerCallContext context)
    {
        if (e is ControlPlaneException domain) return RpcErrors.ToRpcException(domain.Error);
        if (!IsUnavailable(e)) return null;
        LogUnavailable(logger, e, context.Method);
        return RpcErrors.Unavailable($"the control plane could not complete {context.Method} in time; retry with the same request_id");
    }

    private static bool IsUnavailable(Exception e) =>
        e is TimeoutException or OrleansException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Method} answered Unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);
}
