using ControlPlane.Gateway.Errors;
using ControlPlane.Grains.Abstractions.Errors;
using Grpc.Core;

namespace ControlPlane.Gateway.Binding;

/// <summary>
/// Request marshallers that answer INVALID_ARGUMENT <c>MALFORMED_REQUEST</c> when the bytes a caller sent are not a message of
/// the method's request type (invalid UTF-8 in a string, a truncated message, a bad varint, nesting beyond the parser's
/// recursion limit, an invalid wire type). grpc-dotnet parses the request before any interceptor runs and, left alone,
/// answers UNKNOWN "Exception was thrown by handler."; an RpcException thrown by the deserializer is sent as it is.
/// </summary>
public static class MalformedRequests
{
    /// <summary><paramref name="method"/> with a request marshaller that turns every parse failure into MALFORMED_REQUEST.</summary>
    public static Method<TRequest, TResponse> Guard<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        var inner = method.RequestMarshaller;
        var type = typeof(TRequest).Name;
        var guarded = new Marshaller<TRequest>(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (Exception e) when (e is not RpcException and not OperationCanceledException)
            {
                throw Malformed(method.FullName, type, e);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, guarded, method.ResponseMarshaller);
    }

    /// <summary>The answer to bytes that are not a <paramref name="type"/>: the parser's own words (fixed text, never the bytes sent), bounded.</summary>
    public static RpcException Malformed(string method, string type, Exception parseFailure) =>
        RpcErrors.ToRpcException(DomainError.Of(ErrorStatus.InvalidArgument, ErrorReasons.MalformedRequest,
            $"the request to {method} is not a valid {type} message: {parseFailure.Message}"));
}
