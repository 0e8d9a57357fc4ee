using ControlPlane.Gateway.Binding;
using ControlPlane.Gateway.Discovery;
using ControlPlane.Gateway.Errors;
using ControlPlane.Gateway.Security;
using ControlPlane.Gateway.Services;
using ControlPlane.Gateway.Telemetry;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPlane.Gateway;

public static class GatewayServices
{
    /// <summary>
    /// gRPC with the span-tagging, audit, domain-error, silo-loss retry and authorization interceptors, reflection and the standard health
    /// service; malformed requests answered MALFORMED_REQUEST; calls beyond capacity refused OVERLOADED (call
    /// <c>UseControlPlaneOverloadGuard</c> before mapping the services).
    /// </summary>
    public static IServiceCollection AddControlPlaneGateway(this IServiceCollection services, GrpcGatewayOptions? options = null)
    {
        options ??= new GrpcGatewayOptions();
        services.AddSingleton(options);
        services.AddGrpc(o =>
        {
            // Outermost first: the root span is tagged from the request even when the call is refused; the audit sees the
            // status the caller gets, and records a call tried again once.
            o.Interceptors.Add<ApiSpanInterceptor>();
            o.Interceptors.Add<AuditInterceptor>();
            o.Interceptors.Add<DomainErrorInterceptor>();
            o.Interceptors.Add<SiloLossRetryInterceptor>();
            o.Interceptors.Add<AuthorizationInterceptor>();
        });
        services.AddControlPlaneOverloadGuard(options);
        services.AddControlPlaneReflection();
        services.AddGrpcHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AnonymousAuditBudget>();
        // One retry pipeline for every call (grpc-dotnet takes an interceptor registered here instead of making one per call).
        services.TryAddSingleton<SiloLossRetryInterceptor>();
        // Last, after everything that registers gRPC services; nothing may call AddGrpc after this (it would bring grpc-dotnet's binder back).
        UseGuardedBinder(services);
        return services;
    }

    /// <summary>
    /// Every service bound by <see cref="GuardedServiceMethodProvider{TService}"/> instead of grpc-dotnet's own binder (the
    /// open generic IServiceMethodProvider&lt;&gt; AddGrpc registers): both would bind each method twice.
    /// </summary>
    private static void UseGuardedBinder(IServiceCollection services)
    {
        var binders = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType is { Name: "BinderServiceMethodProvider`1" }).ToList();
        if (binders.Count == 0 && !services.Any(d => d.ImplementationType == typeof(GuardedServiceMethodProvider<>)))
        {
            throw new InvalidOperationException("grpc-dotnet's BinderServiceMethodProvider was not found: check GuardedServiceMethodProvider against this Grpc.AspNetCore");
        }
        foreach (var binder in binders) services.Remove(binder);
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(GuardedServiceMethodProvider<>)));
    }

    public static IEndpointRouteBuilder MapControlPlaneGateway(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<TopologyService>();
        endpoints.MapGrpcService<TenantsService>();
        endpoints.MapGrpcService<ProvisioningService>();
        endpoints.MapGrpcService<ServersService>();
        endpoints.MapGrpcService<CatalogService>();
        endpoints.MapGrpcService<ServicesService>();
        endpoints.MapGrpcService<DisasterRecoveryService>();
        endpoints.MapGrpcService<BillingService>();
        endpoints.MapGrpcService<AuditService>();
        endpoints.MapGrpcService<DiagnosticsService>();
        endpoints.MapGrpcService<EventsService>();
        endpoints.MapGrpcService<AccessService>();
        endpoints.MapGrpcService<ApprovalsService>();
        endpoints.MapGrpcService<LockboxService>();
        endpoints.MapGrpcService<DataExportService>();
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }
}
