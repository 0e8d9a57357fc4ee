using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace ControlPlane.IntegrationTests;

/// <summary>Any gRPC client can find the API: server reflection and the standard health service.</summary>
[Collection(HostCollection.Name)]
public sealed class DiscoveryTests(HostFixture host)
{
    [Fact]
    public async Task Reflection_lists_the_controlplane_services()
    {
        using var call = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("controlplane.v1.Topology", services);
        Assert.Contains("controlplane.v1.Tenants", services);
        Assert.Contains("controlplane.v1.Provisioning", services);
        Assert.Contains("controlplane.v1.Diagnostics", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Http_health_endpoints_answer_on_their_own_port()
    {
        using var http = new HttpClient();

        var ready = await http.GetAsync($"{host.HealthEndpoint}/health");
        var alive = await http.GetAsync($"{host.HealthEndpoint}/alive");

        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal(System.Net.HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Health_details_membership_topology_and_the_cluster_as_json()
    {
        using var http = new HttpClient();

        var ready = await http.GetAsync($"{host.HealthEndpoint}/health");

        Assert.Equal("application/json", ready.Content.Headers.ContentType?.MediaType);
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal(["cluster", "membership", "self", "topology"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
        var membership = checks.GetProperty("membership").GetProperty("data");
        Assert.Equal(1, membership.GetProperty("active_silos").GetInt32());
        Assert.Equal("Active", membership.GetProperty("silo_status").GetString());
        var topology = checks.GetProperty("topology").GetProperty("data");
        Assert.Equal(10_000, topology.GetProperty("servers").GetInt32());
        Assert.True(topology.GetProperty("zones").GetInt32() > 0);
    }

    [Fact]
    public async Task Health_reports_serving()
    {
        var response = await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }
}
