using System.Threading.RateLimiting;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Gateway.Errors;

/// <summary>
/// Bounds the unary API calls a silo's gateway runs at once (<see cref="GrpcGatewayOptions.MaxConcurrentCalls"/>, then a queue of
/// <see cref="GrpcGatewayOptions.QueueLimit"/>, oldest first). A call beyond them is refused by the rate-limiting middleware,
/// before it is parsed, authorised, audited or run: UNAVAILABLE <c>OVERLOADED</c> with a RetryInfo, so an answer of overload
/// never hides a change that was made. Streams (events, reflection) and health checks are not bounded here.
/// </summary>
public static class OverloadGuard
{
    private const string ApiPrefix = "/controlplane.v1.";
    private const string Partition = "api";

    public static IServiceCollection AddControlPlaneOverloadGuard(this IServiceCollection services, GrpcGatewayOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            var concurrency = new ConcurrencyLimiterOptions
            {
                PermitLimit = options.MaxConcurrentCalls, QueueLimit = options.QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsBounded(http)
                ? RateLimitPartition.GetConcurrencyLimiter(Partition, _ => concurrency)
                : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) =>
            {
                WriteOverloaded(rejected.HttpContext.Response, options.OverloadRetryDelay);
                return ValueTask.CompletedTask;
            };
        });

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
