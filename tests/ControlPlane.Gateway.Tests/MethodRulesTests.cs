using System.Reflection;
using ControlPlane.Gateway.Security;
using ControlPlane.Grains.Abstractions.Access;
using Google.Protobuf.Reflection;

namespace ControlPlane.Gateway.Tests;

/// <summary>No method of the API can be reached without its rule: a new method must be listed to be callable.</summary>
public sealed class MethodRulesTests
{
    /// <summary>Served by agents and the simulated fleet, not by the gateway.</summary>
    private static readonly string[] NotGateway = ["Agent", "FleetControl"];

    private static IEnumerable<string> GatewayMethods() =>
        typeof(Contracts.V1.Access).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .SelectMany(f => f.Services)
            .Where(s => s.File.Package == "controlplane.v1" && !NotGateway.Contains(s.Name))
            .SelectMany(s => s.Methods.Select(m => $"/controlplane.v1.{s.Name}/{m.Name}"))
            .Distinct();

    [Fact]
    public void Every_method_of_every_gateway_service_has_a_rule()
    {
        var methods = GatewayMethods().ToList();
        Assert.True(methods.Count > 60, $"only {methods.Count} methods found");
        Assert.DoesNotContain(methods, m => MethodRules.For(m) is null);
        Assert.DoesNotContain(MethodRules.Listed, name => !methods.Contains("/controlplane.v1." + name));
    }

    [Fact]
    public void Unknown_methods_are_refused_and_only_the_health_service_is_anonymous()
    {
        Assert.Null(MethodRules.For("/controlplane.v1.Topology/DropEverything"));
        Assert.Null(MethodRules.For("/controlplane.v1.Agent/RunInstance"));
        Assert.True(MethodRules.For("/grpc.health.v1.Health/Check")!.Anonymous);
        Assert.All(GatewayMethods(), m => Assert.False(MethodRules.For(m)!.Anonymous, m));
        Assert.False(MethodRules.For("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")!.Anonymous);
    }

    [Fact]
    public void Every_change_needs_more_than_a_platform_read()
    {
        foreach (var method in GatewayMethods().Where(Errors.AuditInterceptor.IsChange))
        {
            Assert.NotEqual(Permission.ReadPlatform, MethodRules.For(method)!.Permission);
        }
    }
}
