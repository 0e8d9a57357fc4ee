using ControlPlane.Gateway.Errors;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Gateway.Tests;

public sealed class RpcErrorsTests
{
    [Fact]
    public void A_domain_error_becomes_a_status_with_error_info_and_field_violations()
    {
        var error = DomainError.BadRequest(ErrorReasons.UnknownSize, "size 'x' does not exist", [new FieldViolation("size", "size 'x' does not exist")])
            .With("hint", "see ListSizes");

        var e = RpcErrors.ToRpcException(error);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var status = e.GetRpcStatus()!;
        var info = status.GetDetail<ErrorInfo>()!;
        Assert.Equal((ErrorReasons.UnknownSize, "controlplane.v1", "see ListSizes"), (info.Reason, info.Domain, info.Metadata["hint"]));
        Assert.Equal("size", Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public void An_error_that_echoes_a_hostile_request_stays_small()
    {
        var huge = new string('z', 60_000);
        var error = DomainError.BadRequest(ErrorReasons.UnknownRegion, $"region '{huge}' does not exist",
            Enumerable.Range(0, 1000).Select(i => new FieldViolation($"regions[{i}]", $"region '{huge}' does not exist"))).With("region", huge);

        var status = RpcErrors.ToStatus(error);

        Assert.True(status.CalculateSize() < 8 * 1024, $"{status.CalculateSize()} bytes");
        Assert.EndsWith("…(+59624 chars)", status.Message);
        var violations = status.GetDetail<BadRequest>()!.FieldViolations;
        Assert.Equal(RpcErrors.MaxViolations + 1, violations.Count);
        Assert.Equal("and 992 more violations", violations[^1].Description);
        Assert.True(status.GetDetail<ErrorInfo>()!.Metadata["region"].Length < 200);
    }

    [Theory]
    [InlineData(ErrorStatus.NotFound, StatusCode.NotFound)]
    [InlineData(ErrorStatus.AlreadyExists, StatusCode.AlreadyExists)]
    [InlineData(ErrorStatus.PermissionDenied, StatusCode.PermissionDenied)]
    [InlineData(ErrorStatus.ResourceExhausted, StatusCode.ResourceExhausted)]
    [InlineData(ErrorStatus.FailedPrecondition, StatusCode.FailedPrecondition)]
    [InlineData(ErrorStatus.Unavailable, StatusCode.Unavailable)]
    public void Every_domain_status_maps_to_the_same_grpc_code(ErrorStatus domain, StatusCode grpc)
    {
        Assert.Equal(grpc, RpcErrors.ToRpcException(DomainError.Of(domain, "R", "m")).StatusCode);
    }

    [Fact]
    public async Task The_interceptor_maps_domain_errors_and_an_unreachable_cluster()
    {
        var interceptor = new DomainErrorInterceptor(NullLogger<DomainErrorInterceptor>.Instance);

        var quota = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>("req", new FakeCallContext(),
            (_, _) => throw DomainError.Of(ErrorStatus.ResourceExhausted, ErrorReasons.QuotaExceeded, "over quota").ToException()));
        Assert.Equal(StatusCode.ResourceExhausted, quota.StatusCode);
        Assert.Equal(ErrorReasons.QuotaExceeded, quota.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);

        var timeout = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>("req", new FakeCallContext(),
            (_, _) => throw new TimeoutException("grain call timed out")));
        Assert.Equal(StatusCode.Unavailable, timeout.StatusCode);
        Assert.Equal(ErrorReasons.ClusterUnavailable, timeout.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);

        Assert.Equal("ok", await interceptor.UnaryServerHandler<string, string>("req", new FakeCallContext(), (r, _) => Task.FromResult("ok")));
    }
}
