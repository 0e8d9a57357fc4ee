using ControlPlane.Gateway.Errors;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Rpc;
using Microsoft.AspNetCore.Http;

namespace ControlPlane.Gateway.Tests;

public sealed class OverloadGuardTests
{
    [Fact]
    public void A_refused_call_is_a_trailers_only_unavailable_with_overloaded_and_retry_info()
    {
        var http = new DefaultHttpContext();

        OverloadGuard.WriteOverloaded(http.Response, TimeSpan.FromMilliseconds(500));

        Assert.Equal((200, "application/grpc", "14"), (http.Response.StatusCode, http.Response.ContentType, http.Response.Headers["grpc-status"].ToString()));
        var status = Status.Parser.ParseFrom(Convert.FromBase64String(http.Response.Headers["grpc-status-details-bin"].ToString()));
        Assert.Equal(14, status.Code);
        Assert.Equal(ErrorReasons.Overloaded, status.GetDetail<ErrorInfo>()!.Reason);
        Assert.Equal(TimeSpan.FromMilliseconds(500), status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
        Assert.Equal(status.Message, Uri.UnescapeDataString(http.Response.Headers["grpc-message"].ToString()));
    }

    [Fact]
    public void Calls_outside_the_api_are_not_bounded()
    {
        var health = new DefaultHttpContext();
        health.Request.Path = "/grpc.health.v1.Health/Check";
        Assert.False(OverloadGuard.IsBounded(health));
    }

    [Fact]
    public void Settings_out_of_range_are_named_at_start()
    {
        var problems = new GrpcGatewayOptions { MaxConcurrentCalls = 0, QueueLimit = -1, MaxStreamsPerConnection = 0 }.Problems().ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ControlPlane:Gateway:MaxConcurrentCalls", StringComparison.Ordinal));
        Assert.Empty(new GrpcGatewayOptions().Problems());
    }
}
