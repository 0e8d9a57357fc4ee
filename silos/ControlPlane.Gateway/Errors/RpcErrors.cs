using ControlPlane.Domain.Text;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.Gateway.Errors;

/// <summary>
/// Turns domain errors into google.rpc.Status with ErrorInfo and BadRequest details, bounded: errors
/// echo what the caller sent, and a trailer grown with it would break the caller's HTTP/2 connection
/// (and every call sharing it). Messages, metadata values and violation descriptions are cut, and at
/// most <see cref="MaxViolations"/> violations and <see cref="MaxMetadata"/> metadata entries are sent.
/// Every UNAVAILABLE answer carries a google.rpc.RetryInfo: when to try again (with the same request_id).
/// </summary>
public static class RpcErrors
{
    public const int MaxMessage = 400;
    public const int MaxValue = 160;
    public const int MaxViolations = 8;
    public const int MaxMetadata = 16;

    /// <summary>The retry delay an UNAVAILABLE answer suggests unless its cause names another.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(1);

    /// <param name="retryDelay">For an UNAVAILABLE error: the RetryInfo's delay (default <see cref="DefaultRetryDelay"/>).</param>
    public static Google.Rpc.Status ToStatus(DomainError error, TimeSpan? retryDelay = null)
    {
        var status = new Google.Rpc.Status { Code = (int)error.Code, Message = TextBounds.Cut(error.Message, MaxMessage) };
        var info = new ErrorInfo { Reason = error.Reason, Domain = ErrorReasons.Domain };
        foreach (var (key, value) in error.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Take(MaxMetadata))
        {
            info.Metadata.Add(TextBounds.Cut(key, MaxValue), TextBounds.Cut(value, MaxValue));
        }
        status.Details.Add(Any.Pack(info));
        if (!error.FieldViolations.IsDefaultOrEmpty)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(error.FieldViolations.Take(MaxViolations).Select(v =>
                new BadRequest.Types.FieldViolation { Field = TextBounds.Cut(v.Field, MaxValue), Description = TextBounds.Cut(v.Description, MaxValue) }));
            if (error.FieldViolations.Length > MaxViolations)
            {
                badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation
                {
                    Field = "", Description = $"and {error.FieldViolations.Length - MaxViolations} more violations",
                });
            }
            status.Details.Add(Any.Pack(badRequest));
        }
        if (error.Code == ErrorStatus.Unavailable)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryDelay ?? DefaultRetryDelay) }));
        }
        return status;
    }

    public static RpcException ToRpcException(DomainError error) => ToStatus(error).ToRpcException();

    /// <summary>The ErrorInfo reason an RpcException carries, or its status code's name.</summary>
    public static string ReasonOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? e.StatusCode.ToString().ToUpperInvariant();

    /// <summary>UNAVAILABLE with this reason and a RetryInfo of <paramref name="retryDelay"/>.</summary>
    public static RpcException Unavailable(string reason, string message, TimeSpan retryDelay) =>
        ToStatus(DomainError.Of(ErrorStatus.Unavailable, reason, message), retryDelay).ToRpcException();
}
