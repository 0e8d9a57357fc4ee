using ControlPlane.Grains.Abstractions.Errors;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Gateway.Errors;

/// <summary>
/// Maps what a call throws to a gRPC status: domain errors to their code and reason, a cluster
/// that cannot answer to Unavailable (safe to retry: every change is idempotent by request_id).
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
        catch (ControlPlaneException e)
        {
            throw RpcErrors.ToRpcException(e.Error);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            LogUnavailable(logger, e, context.Method);
            throw RpcErrors.Unavailable($"the control plane could not complete {context.Method} in time; retry with the same request_id");
        }
    }

    private static bool IsUnavailable(Exception e) =>
        e is TimeoutException or OrleansException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Method} answered Unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);
}
