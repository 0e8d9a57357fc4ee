using ControlPlane.Contracts.V1;
using ControlPlane.Gateway.Binding;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.Gateway.Tests;

/// <summary>The request marshaller the gateway binds: bytes that are not a message are INVALID_ARGUMENT MALFORMED_REQUEST.</summary>
public sealed class MalformedRequestsTests
{
    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "invalid UTF-8", [0x0A, 0x04, 0xC3, 0x28, 0xFF, 0xFE] },
        { "truncated", [0x0A, 0x32, (byte)'a', (byte)'b'] },
        { "bad varint", [0x10, .. Enumerable.Repeat((byte)0xFF, 11)] },
        { "deep nesting", [.. Enumerable.Repeat((byte)0x7B, 200), .. Enumerable.Repeat((byte)0x7C, 200)] },
        { "invalid wire type", [0x0F, 0x01] },
        { "unmatched end group", [0x0C] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Bytes_that_are_not_a_message_are_malformed_request(string kind, byte[] body)
    {
        var method = MalformedRequests.Guard(Unary(CreateInstanceRequest.Parser, Operation.Parser, "CreateInstance"));

        var e = Assert.Throws<RpcException>(() => method.RequestMarshaller.ContextualDeserializer(new Payload(body)));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var info = e.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        Assert.Equal((ErrorReasons.MalformedRequest, ErrorReasons.Domain), (info.Reason, info.Domain));
        Assert.Contains("controlplane.v1.Provisioning/CreateInstance", e.Status.Detail, StringComparison.Ordinal);
        Assert.True(e.Status.Detail.Length < 400, kind);
    }

    [Fact]
    public void A_valid_message_goes_through_unchanged()
    {
        var method = MalformedRequests.Guard(Unary(GetInstanceRequest.Parser, Instance.Parser, "GetInstance"));

        Assert.Equal("i-1", method.RequestMarshaller.ContextualDeserializer(new Payload(new GetInstanceRequest { Id = "i-1" }.ToByteArray())).Id);
        Assert.Equal((MethodType.Unary, "/controlplane.v1.Provisioning/GetInstance"), (method.Type, method.FullName));
    }

    /// <summary>A method of the API with marshallers as the generated code makes them (parsing from the payload's sequence).</summary>
    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(MessageParser<TRequest> request, MessageParser<TResponse> response, string name)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        new(MethodType.Unary, "controlplane.v1.Provisioning", name,
            Marshallers.Create((m, c) => c.Complete(m.ToByteArray()), c => request.ParseFrom(c.PayloadAsReadOnlySequence())),
            Marshallers.Create((m, c) => c.Complete(m.ToByteArray()), c => response.ParseFrom(c.PayloadAsReadOnlySequence())));

    private sealed class Payload(byte[] body) : DeserializationContext
    {
        public override int PayloadLength => body.Length;
        public override byte[] PayloadAsNewBuffer() => (byte[])body.Clone();
        public override System.Buffers.ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(body);
    }
}
