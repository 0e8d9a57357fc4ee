using System.Diagnostics;
using ControlPlane.Gateway.Mapping;
using ControlPlane.Gateway.Security;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Tenants;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Gateway.Errors;

/// <summary>
/// Appends an audit record for every state-changing call of the API (allowed or not), and for every
/// call refused as PERMISSION_DENIED or UNAUTHENTICATED. Runs outside the error interceptor, so it
/// sees the status the caller gets. An allowed change is acknowledged only once its record is stored:
/// if the log cannot store it after a few tries, the caller gets UNAVAILABLE (AUDIT_UNAVAILABLE) and
/// retries (a retry with the same request_id finds the same operation). Unauthenticated calls are
/// recorded within <see cref="AnonymousAuditBudget"/>, and never under a tenant they merely name.
/// </summary>
public sealed partial class AuditInterceptor(IGrainFactory grains, AnonymousAuditBudget anonymous, ILogger<AuditInterceptor> logger) : Interceptor
{
    private const string ApiPrefix = "/controlplane.v1.";
    private static readonly string[] ReadPrefixes = ["Get", "List", "Wait", "Ping", "Verify", "WhoAmI", "WhoCan", "WhatCan"];
    private static readonly string[] TargetFields =
    [
        ErrorMetadata.InstanceId, ErrorMetadata.ServiceId, ErrorMetadata.ServerId, "id", ErrorMetadata.Zone, ErrorMetadata.Region, "offer_id",
        ErrorMetadata.GrantId, ErrorMetadata.Principal, ErrorMetadata.Target, ErrorMetadata.TenantId,
    ];
    private const string BreakGlass = "Lockbox/BreakGlass";
    private const string ValidateOnly = "validate_only";
    private static readonly TimeSpan[] Retries = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];

    /// <summary>The reason an allowed break-glass access carries: its record is flagged for review.</summary>
    public const string BreakGlassReview = "BREAK_GLASS_REVIEW_REQUIRED";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var changes = IsChange(context.Method);
        // Read before the call: a delete leaves nothing to ask afterwards.
        var tenant = changes ? await TenantOfAsync(request as IMessage, context.Method) : "";
        try
        {
            var response = await continuation(request, context);
            if (changes && !await AppendAsync(request, context, tenant, "allowed", Action(context.Method) == BreakGlass ? BreakGlassReview : "", response as IMessage))
            {
                throw RpcErrors.ToRpcException(Failures.AuditUnavailable(Action(context.Method)).Error);
            }
            return response;
        }
        catch (RpcException e) when (changes || e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            var denied = e.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated;
            await AppendAsync(request, context, changes ? tenant : Field(request as IMessage, ErrorMetadata.TenantId), denied ? "denied" : "failed", RpcErrors.ReasonOf(e));
            throw;
        }
    }

    /// <summary>The tenant a change concerns: named in the request, or the owner of the instance or service it acts on.</summary>
    private async Task<string> TenantOfAsync(IMessage? message, string method)
    {
        if (Field(message, ErrorMetadata.TenantId) is { Length: > 0 } tenant) return tenant;
        if (method.StartsWith(ApiPrefix + "Tenants/", StringComparison.Ordinal)) return Field(message, "id");
        try
        {
            // The gateway's own lookup for its record, before (or whether or not) the call is authenticated.
            using var system = CallerContext.AsSystem("audit");
            if (Field(message, ErrorMetadata.InstanceId) is { Length: > 0 } instanceId) return await grains.TenantOfInstanceAsync(instanceId) ?? "";
            if (Field(message, ErrorMetadata.ServiceId) is { Length: > 0 } serviceId) return await grains.TenantOfServiceAsync(serviceId) ?? "";
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or ArgumentException)
        {
            // The call itself will report what is wrong; the record just lacks its tenant.
        }
        return "";
    }

    /// <summary>A call of the API that is not a read: everything but Get*, List*, Wait*, Ping, Verify*, WhoAmI, WhoCan, WhatCan.</summary>
    public static bool IsChange(string method)
    {
        if (!method.StartsWith(ApiPrefix, StringComparison.Ordinal)) return false;
        var name = method[(method.LastIndexOf('/') + 1)..];
        return !ReadPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
    }

    /// <param name="response">An accepted call's answer: an operation names the instance or service it creates.</param>
    /// <returns>False when the record could not be stored.</returns>
    private async Task<bool> AppendAsync<TRequest>(TRequest request, ServerCallContext context, string tenant, string decision, string reason, IMessage? response = null)
    {
        var message = request as IMessage;
        // No caller: the call was refused before it was authenticated.
        var caller = context.GetHttpContext().Items[AuthorizationInterceptor.CallerItem] as Caller;
        if (caller is null)
        {
            if (!anonymous.TryRecord(out var leftOut)) return true;
            tenant = "";
            if (leftOut > 0) reason = $"{reason} (+{leftOut} unauthenticated calls not recorded)";
        }
        // A dry run is recorded as its action with "?validate_only" (as Kubernetes' audit shows "?dryRun=All"): it changes
        // nothing, but what it probes — rights, quota, names, capacity — is worth a record; searches by action skip it.
        var action = Action(context.Method) + (MessageFields.Bool(message, ValidateOnly) ? "?" + ValidateOnly : "");
        var entry = new AuditEntry(caller?.Principal ?? "unauthenticated", caller?.RoleSummary ?? "", caller?.OpsCentre ?? "", action,
            new[] { Field(response, ErrorMetadata.ServiceId), Field(response, ErrorMetadata.InstanceId) }.Concat(TargetFields.Select(f => Field(message, f)))
                .FirstOrDefault(v => v.Length > 0) ?? "", tenant,
            decision, reason, Activity.Current?.TraceId.ToHexString() ?? "");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // The gateway's own record of the call (the refused caller, when there is one, is in the entry).
                using var system = CallerContext.AsSystem("audit");
                await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).AppendAsync(entry);
                return true;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or ControlPlaneException)
            {
                if (attempt == Retries.Length)
                {
                    LogAuditFailed(logger, e, entry.Action, entry.Target, decision);
                    return false;
                }
            }
            await Task.Delay(Retries[attempt], context.CancellationToken);
        }
    }

    /// <summary>"/controlplane.v1.Provisioning/CreateInstance" → "Provisioning/CreateInstance".</summary>
    private static string Action(string method) => method.StartsWith(ApiPrefix, StringComparison.Ordinal) ? method[ApiPrefix.Length..] : method.TrimStart('/');

    private static string Field(IMessage? message, string name) => MessageFields.String(message, name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit record of {Action} on {Target} ({Decision}) could not be written")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string action, string target, string decision);
}
