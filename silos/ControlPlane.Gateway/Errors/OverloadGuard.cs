using System.Threading.RateLimiting;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Gateway.Errors;

/// <summary>
/// Bounds the unary API calls a silo's gateway runs at once (<see cref="GrpcGatewayOptions.MaxConcurrentCalls"/>, then a queue of
/// <see cref="GrpcGatewayOptions.QueueLimit"/>, oldest first). A call beyond them is refused before it is parsed, authorised,
/// audited or run: UNAVAILABLE <c>OVERLOADED</c> with a RetryInfo, so an answer of overload never hides a change that was made.
/// Streams (events, reflection) and health checks are not bounded here. One <see cref="ConcurrencyLimiter"/> in a middleware of
/// its own: ASP.NET Core's rate-limiting middleware would add two partitioned limiters whose timers wake every 100 ms, idle or not.
/// </summary>
public static class OverloadGuard
{
    private const string ApiPrefix = "/controlplane.v1.";

    public static IServiceCollection AddControlPlaneOverloadGuard(this IServiceCollection services, GrpcGatewayOptions options) =>
        services.AddSingleton(_ => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentCalls, QueueLimit = options.QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));

    /// <summary>Place after routing (the endpoint tells a unary call) and before the gRPC services.</summary>
    public static IApplicationBuilder UseControlPlaneOverloadGuard(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<ConcurrencyLimiter>();
        var retryDelay = app.ApplicationServices.GetRequiredService<GrpcGatewayOptions>().OverloadRetryDelay;
        return app.Use(async (http, next) =>
        {
            if (!IsBounded(http))
            {
                await next(http);
                return;
            }
            RateLimitLease lease;
            try
            {
                lease = await limiter.AcquireAsync(1, http.RequestAborted);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                return;
            }
            using (lease)
            {
                if (lease.IsAcquired) await next(http);
                else WriteOverloaded(http.Response, retryDelay);
            }
        });
    }

    /// <summary>A unary call of the API (the route is resolved before this middleware runs).</summary>
    public static bool IsBounded(HttpContext http) =>
        http.Request.Path.Value?.StartsWith(ApiPrefix, StringComparison.Ordinal) == true
        && http.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Type == MethodType.Unary;

    /// <summary>A trailers-only gRPC answer: UNAVAILABLE, ErrorInfo OVERLOADED and RetryInfo in grpc-status-details-bin.</summary>
    public static void WriteOverloaded(HttpResponse response, TimeSpan retryDelay)
    {
        var status = RpcErrors.ToStatus(DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Overloaded,
            "the gateway is at capacity and did not start this call; retry after the suggested delay"), retryDelay);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)StatusCode.Unavailable).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
    }
}
