using System.Diagnostics;
using ControlPlane.Contracts.V1;
using ControlPlane.Domain.Text;
using ControlPlane.Gateway.Errors;
using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http.Features;

namespace ControlPlane.Gateway.Telemetry;

/// <summary>
/// Tags the root span of each API call (ASP.NET Core's server span of the request) with what an operator searches
/// traces by: <c>controlplane.operation_id</c>, <c>.tenant_id</c>, <c>.instance_id</c>, <c>.region</c>, <c>.zone</c>, taken from
/// the request's fields of those names and from the <see cref="Operation"/> or <see cref="Instance"/> the call returns.
/// The request's tags are set before the call, so a refused call carries them too.
/// </summary>
public sealed class ApiSpanInterceptor : Interceptor
{
    public const string OperationId = "controlplane.operation_id";
    public const string TenantId = "controlplane.tenant_id";
    public const string InstanceId = "controlplane.instance_id";
    public const string Region = "controlplane.region";
    public const string Zone = "controlplane.zone";

    private static readonly (string Field, string Tag)[] RequestFields =
    [
        (ErrorMetadata.OperationId, OperationId), (ErrorMetadata.TenantId, TenantId), (ErrorMetadata.InstanceId, InstanceId),
        (ErrorMetadata.Region, Region), (ErrorMetadata.Zone, Zone),
    ];

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var span = RootSpan(context);
        TagRequest(span, request as IMessage);
        var response = await continuation(request, context);
        TagResponse(span, response as IMessage);
        return response;
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        TagRequest(RootSpan(context), request as IMessage);
        return continuation(request, responseStream, context);
    }

    /// <summary>The request's server span (not whichever span is current: an interceptor inside may have started one).</summary>
    private static Activity? RootSpan(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity ? activity : null;

    public static void TagRequest(Activity? span, IMessage? request)
    {
        if (span is null || request is null) return;
        foreach (var (field, tag) in RequestFields) Set(span, tag, MessageFields.String(request, field));
    }

    public static void TagResponse(Activity? span, IMessage? response)
    {
        if (span is null) return;
        switch (response)
        {
            case Operation operation:
                Set(span, OperationId, operation.Id);
                Set(span, TenantId, operation.TenantId);
                Set(span, InstanceId, operation.InstanceId);
                break;
            case Instance instance:
                Set(span, InstanceId, instance.Id);
                Set(span, TenantId, instance.TenantId);
                Set(span, OperationId, instance.OperationId);
                Set(span, Region, instance.Region);
                Set(span, Zone, instance.Zone);
                break;
        }
    }

    /// <summary>Request tags are set before validation: a hostile field is cut as error metadata is, never exported whole.</summary>
    private static void Set(Activity span, string tag, string value)
    {
        if (value.Length > 0) span.SetTag(tag, TextBounds.Cut(value, RpcErrors.MaxValue));
    }
}
