using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Tenants;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ControlPlane.Gateway.Security;

/// <summary>
/// Authenticates every call, checks the method's permission on the resource's scope, and hands the
/// caller to the grains (request context), which check again on the resources they hold. Runs
/// inside the error interceptor, so a denial is a status with its reason.
/// </summary>
public sealed class AuthorizationInterceptor(CallerResolver resolver, IGrainFactory grains) : Interceptor
{
    public const string CallerItem = "controlplane.caller";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        CallerContext.Set(await AuthorizeAsync(request as IMessage, context));
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        CallerContext.Set(await AuthorizeAsync(request as IMessage, context));
        await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        CallerContext.Set(await AuthorizeAsync(null, context));
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        CallerContext.Set(await AuthorizeAsync(null, context));
        await continuation(requestStream, responseStream, context);
    }

    /// <summary>
    /// The caller to put in the request context (null: none, for anonymous methods, which call no grain
    /// but through the platform's own health check). Set by the handler itself: a value set inside this
    /// async method would not flow back out.
    /// </summary>
    private async Task<Caller?> AuthorizeAsync(IMessage? request, ServerCallContext context)
    {
        var rule = MethodRules.For(context.Method) ?? throw AccessPolicy.Denied(ErrorReasons.RoleRequired,
            $"method '{context.Method}' is not open to callers", (ErrorMetadata.Method, context.Method));
        if (rule.Anonymous) return null;
        var http = context.GetHttpContext();
        var caller = await resolver.ResolveAsync(http);
        http.Items[CallerItem] = caller;
        if (caller.IsDevelopment) return caller;

        AccessPolicy.RequireUnsealed(caller);
        if (rule.Permission is { } permission) await RequireAsync(caller, permission, rule, request);
        return caller with { ApprovalId = Field(request, "approval_id") };
    }

    private async Task RequireAsync(Caller caller, Permission permission, MethodRule rule, IMessage? request)
    {
        // The lookups below (whose tenant a resource is, the lockbox's grants) are the gateway's own reads.
        using var system = CallerContext.AsSystem("authorization");
        switch (rule.Scope)
        {
            case ScopeSource.Anywhere:
                AccessPolicy.Require(caller, permission, null);
                return;
            case ScopeSource.Platform:
                AccessPolicy.Require(caller, permission, Scopes.Platform);
                return;
        }
        // Callers allowed on every tenant need no lookup.
        if (AccessPolicy.Holds(caller, permission, Scopes.Platform))
        {
            AccessPolicy.Require(caller, permission, Scopes.Platform);
            return;
        }
        if (rule.Scope == ScopeSource.OperationField)
        {
            await RequireOperationAsync(caller, permission, Field(request, rule.Field));
            return;
        }
        var tenant = await TenantOfAsync(rule, Field(request, rule.Field));
        if (tenant is null)
        {
            // No tenant named (a list over every tenant: the platform scope), or no such resource (the call reports NOT_FOUND).
            AccessPolicy.Require(caller, permission, rule.Scope == ScopeSource.TenantField ? Scopes.Platform : null);
            return;
        }
        await TenantAccess.RequireAsync(grains, caller, permission, tenant);
    }

    /// <summary>
    /// An operation is read by a caller who may see its tenant (<see cref="OperationAccess"/>); to any other caller who reads
    /// operations (of his tenants, or through the lockbox) it is OPERATION_NOT_FOUND, as one that does not exist. A caller
    /// who may read no tenant's operations at all is refused for his role, whatever the id.
    /// </summary>
    private async Task RequireOperationAsync(Caller caller, Permission permission, string operationId)
    {
        if (!caller.HasAnywhere(Role.Operator)) AccessPolicy.Require(caller, permission, null);
        if (operationId.Length == 0 || Validate.Id("id", operationId) is not null) return;
        // No such operation: the call itself answers OPERATION_NOT_FOUND.
        if (await grains.GetGrain<IOperationGrain>(operationId).GetAsync() is not { } operation) return;
        if (!await OperationAccess.MaySeeAsync(grains, caller, permission, operation)) throw Failures.OperationNotFound(operationId);
    }

    private async Task<string?> TenantOfAsync(MethodRule rule, string value)
    {
        if (value.Length == 0) return null;
        if (rule.Scope == ScopeSource.TenantField) return value;
        if (Validate.Id(rule.Field, value) is not null) return null;
        return rule.Scope switch
        {
            ScopeSource.InstanceField => await grains.TenantOfInstanceAsync(value),
            ScopeSource.ServiceField => await grains.TenantOfServiceAsync(value),
            _ => null,
        };
    }

    private static string Field(IMessage? message, string name) =>
        name.Length > 0 && message?.Descriptor.FindFieldByName(name) is { FieldType: Google.Protobuf.Reflection.FieldType.String } field
            ? field.Accessor.GetValue(message) as string ?? "" : "";
}
