using ControlPlane.Contracts.Discovery;
using Grpc.AspNetCore.Server;
using Grpc.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ControlPlane.Gateway.Discovery;

/// <summary>
/// Server reflection that answers a generic client (buf curl, grpcurl, Postman) with the API's own .proto files as protoc
/// compiled them, comments included, and with the error details every error carries (google.rpc.ErrorInfo, BadRequest,
/// RetryInfo), so such a client prints them as JSON rather than base64. grpc-dotnet's default reflection serves the
/// generated C# descriptors, which have neither.
/// </summary>
public static class ApiReflection
{
    /// <summary>
    /// Reflection (v1 and v1alpha, as grpc-dotnet maps both) over <see cref="ApiDescriptors"/>; the services listed are
    /// those the gateway maps.
    /// </summary>
    public static IServiceCollection AddControlPlaneReflection(this IServiceCollection services)
    {
        services.AddGrpcReflection();
        services.Replace(ServiceDescriptor.Singleton(provider =>
        {
            var (names, registry) = Served(provider.GetRequiredService<EndpointDataSource>());
            return new ReflectionServiceImpl(names, registry);
        }));
        services.Replace(ServiceDescriptor.Singleton(provider =>
        {
            var (names, registry) = Served(provider.GetRequiredService<EndpointDataSource>());
            return new ReflectionV1ServiceImpl(names, registry);
        }));
        return services;
    }

    /// <summary>Every file the reflection service can hand out: the API's, the error details, health and reflection.</summary>
    public static SymbolRegistry Registry() => SymbolRegistry.FromFiles(
        [.. ServedFiles.Build(ApiDescriptors.ReadSet()), Grpc.Health.V1.Health.Descriptor.File, Grpc.Reflection.V1Alpha.ServerReflection.Descriptor.File,
            Grpc.Reflection.V1.ServerReflection.Descriptor.File]);

    private static (List<string> Names, SymbolRegistry Registry) Served(EndpointDataSource endpoints)
    {
        var registry = Registry();
        var mapped = endpoints.Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Where(name => registry.FileContainingSymbol(name) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();
        return (mapped, registry);
    }
}
