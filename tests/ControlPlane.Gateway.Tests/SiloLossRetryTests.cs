using ControlPlane.Contracts.V1;
using ControlPlane.Gateway.Errors;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime.Messaging;

namespace ControlPlane.Gateway.Tests;

/// <summary>A call that failed because a silo was lost is tried again inside the gateway, when a repeat is safe and there is time.</summary>
public sealed class SiloLossRetryTests
{
    private const string Create = "/controlplane.v1.Provisioning/CreateInstance";
    private const string CreateTenant = "/controlplane.v1.Tenants/CreateTenant";
    private const string GetInstance = "/controlplane.v1.Provisioning/GetInstance";

    private static SiloLossRetryInterceptor Interceptor(int retries = 3) =>
        new(new GrpcGatewayOptions { SiloLossRetries = retries, SiloLossRetryDelay = TimeSpan.Zero }, TimeProvider.System,
            NullLogger<SiloLossRetryInterceptor>.Instance);

    /// <summary>A continuation failing with each of <paramref name="failures"/> in turn, then answering "ok"; counts its calls.</summary>
    private sealed class Flaky(params Exception[] failures)
    {
        public int Calls { get; private set; }

        public Task<string> Call<TRequest>(TRequest request, ServerCallContext context) =>
            Calls++ < failures.Length ? Task.FromException<string>(failures[Calls - 1]) : Task.FromResult("ok");
    }

    public static TheoryData<string> SiloLosses() =>
        [nameof(SiloUnavailableException), nameof(OrleansMessageRejectionException), nameof(ConnectionFailedException)];

    private static Exception Loss(string name) => name switch
    {
        nameof(SiloUnavailableException) => new SiloUnavailableException(),
        nameof(OrleansMessageRejectionException) => OrleansFailures.Rejection("target silo is dead"),
        _ => new ConnectionFailedException("connection refused"),
    };

    [Theory]
    [MemberData(nameof(SiloLosses))]
    public async Task A_change_with_a_request_id_is_tried_again_after_a_silo_loss(string loss)
    {
        var flaky = new Flaky(Loss(loss), Loss(loss));
        var request = new CreateInstanceRequest { RequestId = "r-1", TenantId = "t" };

        Assert.Equal("ok", await Interceptor().UnaryServerHandler(request, new FakeCallContext(Create), flaky.Call));
        Assert.Equal(3, flaky.Calls);
    }

    [Fact]
    public async Task A_read_is_tried_again()
    {
        var flaky = new Flaky(new SiloUnavailableException());
        Assert.Equal("ok", await Interceptor().UnaryServerHandler(new GetInstanceRequest { Id = "i-1" }, new FakeCallContext(GetInstance), flaky.Call));
        Assert.Equal(2, flaky.Calls);
    }

    [Fact]
    public async Task A_change_without_a_request_id_is_not_tried_again()
    {
        var flaky = new Flaky(new SiloUnavailableException());
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            Interceptor().UnaryServerHandler(new CreateTenantRequest { Id = "t" }, new FakeCallContext(CreateTenant), flaky.Call));
        Assert.Equal(1, flaky.Calls);

        var empty = new Flaky(new SiloUnavailableException());
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            Interceptor().UnaryServerHandler(new CreateInstanceRequest { RequestId = "" }, new FakeCallContext(Create), empty.Call));
        Assert.Equal(1, empty.Calls);
    }

    [Fact]
    public async Task A_timeout_or_a_domain_error_is_not_tried_again()
    {
        var slow = new Flaky(new TimeoutException());
        await Assert.ThrowsAsync<TimeoutException>(() =>
            Interceptor().UnaryServerHandler(new GetInstanceRequest { Id = "i-1" }, new FakeCallContext(GetInstance), slow.Call));
        Assert.Equal(1, slow.Calls);

        var refused = new Flaky(new RpcException(new Status(StatusCode.NotFound, "no")));
        await Assert.ThrowsAsync<RpcException>(() =>
            Interceptor().UnaryServerHandler(new GetInstanceRequest { Id = "i-1" }, new FakeCallContext(GetInstance), refused.Call));
        Assert.Equal(1, refused.Calls);
    }

    [Fact]
    public async Task The_attempts_are_bounded_and_the_last_failure_is_what_the_caller_gets()
    {
        var down = new Flaky([.. Enumerable.Range(0, 10).Select(_ => new SiloUnavailableException())]);
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            Interceptor(retries: 2).UnaryServerHandler(new GetInstanceRequest { Id = "i-1" }, new FakeCallContext(GetInstance), down.Call));
        Assert.Equal(3, down.Calls);

        var none = new Flaky(new SiloUnavailableException());
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            Interceptor(retries: 0).UnaryServerHandler(new GetInstanceRequest { Id = "i-1" }, new FakeCallContext(GetInstance), none.Call));
        Assert.Equal(1, none.Calls);
    }

    [Fact]
    public async Task No_attempt_is_made_past_the_callers_deadline()
    {
        var flaky = new Flaky(new SiloUnavailableException());
        var context = new FakeCallContext(GetInstance, deadline: DateTime.UtcNow.AddMilliseconds(100));
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            Interceptor().UnaryServerHandler(new GetInstanceRequest { Id = "i-1" }, context, flaky.Call));
        Assert.Equal(1, flaky.Calls);
    }
}
