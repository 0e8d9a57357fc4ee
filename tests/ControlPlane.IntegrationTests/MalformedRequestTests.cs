using ControlPlane.Faults.Hostile;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// Bytes that are not a protobuf message, sent over a real socket to every unary method of the gateway: each is
/// INVALID_ARGUMENT MALFORMED_REQUEST (never UNKNOWN "Exception was thrown by handler."), and the host keeps serving.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class MalformedRequestTests(HostFixture host)
{
    public static TheoryData<string> Kinds() => ["truncated", "bad varint", "deep nesting", "invalid wire type", "unmatched end group"];

    private static byte[] Body(string kind) => kind switch
    {
        "truncated" => MalformedBodies.Truncated(),
        "bad varint" => MalformedBodies.BadVarint(),
        "deep nesting" => MalformedBodies.DeepNesting(),
        "invalid wire type" => MalformedBodies.InvalidWireType(),
        _ => MalformedBodies.UnmatchedEndGroup(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_method_answers_malformed_bytes_with_malformed_request(string kind)
    {
        var marshaller = Marshallers.Create(b => b, b => b);
        var wrong = new List<string>();
        var methods = GatewayMethods.Unary();
        foreach (var method in methods)
        {
            var call = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, marshaller, marshaller);
            try
            {
                await host.Channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), Body(kind));
                wrong.Add($"{method.FullName}: OK");
            }
            catch (RpcException e)
            {
                var reason = e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
                if (e.StatusCode != StatusCode.InvalidArgument || reason != "MALFORMED_REQUEST") wrong.Add($"{method.FullName}: {e.StatusCode} {reason} \"{e.Status.Detail}\"");
            }
        }
        Assert.True(methods.Count > 50, $"only {methods.Count} methods");
        Assert.Empty(wrong);
        var health = await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task The_health_service_answers_malformed_bytes_with_malformed_request_too()
    {
        var marshaller = Marshallers.Create(b => b, b => b);
        var call = new Method<byte[], byte[]>(MethodType.Unary, "grpc.health.v1.Health", "Check", marshaller, marshaller);
        var e = await Assert.ThrowsAsync<RpcException>(() => host.Channel.CreateCallInvoker().AsyncUnaryCall(call, null, default, MalformedBodies.Truncated()).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "MALFORMED_REQUEST"), (e.StatusCode, e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason));
    }
}
