using System.Data.Common;
using ControlPlane.Gateway.Errors;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime.Messaging;

namespace ControlPlane.Gateway.Tests;

/// <summary>What the gateway answers when a call throws something that is not a domain error: never UNKNOWN or INTERNAL.</summary>
public sealed class FailureMappingTests
{
    private static readonly DomainErrorInterceptor Interceptor = new(NullLogger<DomainErrorInterceptor>.Instance);

    public static TheoryData<string> ClusterFailures() =>
    [
        nameof(SiloUnavailableException), nameof(OrleansMessageRejectionException), nameof(TimeoutException), nameof(ConnectionFailedException),
        nameof(OperationCanceledException), nameof(GatewayTooBusyException), "storage", "wrapped storage",
    ];

    private static Exception Make(string name) => name switch
    {
        nameof(SiloUnavailableException) => new SiloUnavailableException("silo S127.0.0.1:11111:1 is dead"),
        nameof(OrleansMessageRejectionException) => OrleansFailures.Rejection("target silo is no longer active"),
        nameof(TimeoutException) => new TimeoutException("response did not arrive on time in 00:00:30"),
        nameof(ConnectionFailedException) => new ConnectionFailedException("unable to connect to endpoint"),
        nameof(OperationCanceledException) => new OperationCanceledException("the runtime cancelled the grain call"),
        nameof(GatewayTooBusyException) => new GatewayTooBusyException("too busy"),
        "storage" => new FakeDbException("57P01: terminating connection due to administrator command"),
        "wrapped storage" => new OrleansException("storage write failed", new FakeDbException("08006: connection failure")),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(ClusterFailures))]
    public async Task A_lost_silo_a_timeout_or_a_storage_error_is_unavailable_with_retry_info(string failure)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Interceptor.UnaryServerHandler<string, string>("req", new FakeCallContext(),
            (_, _) => throw Make(failure)));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        var status = e.GetRpcStatus()!;
        Assert.Equal(ErrorReasons.ClusterUnavailable, status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        Assert.Contains("retry with the same request_id", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_exception_is_unavailable_unexpected_failure_and_logged_at_error()
    {
        var logger = new ListLogger<DomainErrorInterceptor>();
        var interceptor = new DomainErrorInterceptor(logger);

        var e = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>("req", new FakeCallContext(),
            (_, _) => throw new NullReferenceException("a bug")));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(ErrorReasons.UnexpectedFailure, e.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.NotNull(e.GetRpcStatus()!.GetDetail<RetryInfo>());
        Assert.DoesNotContain("a bug", e.Status.Detail, StringComparison.Ordinal);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Error, typeof(NullReferenceException)), (entry.Level, entry.Exception?.GetType()));
    }

    [Fact]
    public async Task Streaming_calls_are_mapped_as_unary_ones_are()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Interceptor.ServerStreamingServerHandler<string, string>("req", null!, new FakeCallContext(),
            (_, _, _) => throw new SiloUnavailableException()));
        Assert.Equal(ErrorReasons.ClusterUnavailable, e.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }

    [Fact]
    public async Task A_call_the_caller_cancelled_and_a_status_already_chosen_pass_through()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var context = new FakeCallContext(cancellation: cancelled.Token);
        await Assert.ThrowsAsync<OperationCanceledException>(() => Interceptor.UnaryServerHandler<string, string>("req", context,
            (_, _) => throw new OperationCanceledException(cancelled.Token)));

        var denied = await Assert.ThrowsAsync<RpcException>(() => Interceptor.UnaryServerHandler<string, string>("req", new FakeCallContext(),
            (_, _) => throw new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, "no"))));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public void An_unavailable_domain_error_carries_retry_info_and_other_codes_do_not()
    {
        Assert.NotNull(RpcErrors.ToStatus(DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.AuditUnavailable, "m")).GetDetail<RetryInfo>());
        Assert.Null(RpcErrors.ToStatus(DomainError.Of(ErrorStatus.NotFound, ErrorReasons.InstanceNotFound, "m")).GetDetail<RetryInfo>());
    }

    private sealed class FakeDbException(string message) : DbException(message);
}
