using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.Gateway.Errors;

/// <summary>Turns domain errors into google.rpc.Status with ErrorInfo and BadRequest details.</summary>
public static class RpcErrors
{
    public static Google.Rpc.Status ToStatus(DomainError error)
    {
        var status = new Google.Rpc.Status { Code = (int)error.Code, Message = error.Message };
        var info = new ErrorInfo { Reason = error.Reason, Domain = ErrorReasons.Domain };
        info.Metadata.Add(error.Metadata);
        status.Details.Add(Any.Pack(info));
        if (!error.FieldViolations.IsDefaultOrEmpty)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(error.FieldViolations.Select(v =>
                new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }
        return status;
    }

    public static RpcException ToRpcException(DomainError error) => ToStatus(error).ToRpcException();

    /// <summary>The ErrorInfo reason an RpcException carries, or its status code's name.</summary>
    public static string ReasonOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? e.StatusCode.ToString().ToUpperInvariant();

    public static RpcException Unavailable(string message) =>
        ToRpcException(DomainError.Of(ErrorStatus.Unavailable, ErrorReasons.Unavailable, message));
}
