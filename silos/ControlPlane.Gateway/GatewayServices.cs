using ControlPlane.Gateway.Errors;
using ControlPlane.Gateway.Security;
using ControlPlane.Gateway.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPlane.Gateway;

public static class GatewayServices
{
    /// <summary>gRPC with the audit, domain-error and authorization interceptors, reflection and the standard health service.</summary>
    public static IServiceCollection AddControlPlaneGateway(this IServiceCollection services)
    {
        services.AddGrpc(o =>
        {
            // Outermost first: the audit sees the status the caller gets.
            o.Interceptors.Add<AuditInterceptor>();
            o.Interceptors.Add<DomainErrorInterceptor>();
            o.Interceptors.Add<AuthorizationInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AnonymousAuditBudget>();
        return services;
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
