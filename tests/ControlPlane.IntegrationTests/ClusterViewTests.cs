using System.Net;
using System.Net.Http.Headers;
using ControlPlane.Contracts.V1;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The Orleans Dashboard on the health port, over real HTTP: the API's authentication (bearer token) and its read-infrastructure
/// right, never on the gRPC port, absent when switched off.
/// </summary>
[Collection(SecureHostCollection.Name)]
public sealed class ClusterViewTests(SecureHostFixture host)
{
    /// <summary>The page ('/dashboard' redirects there) and the JSON its script reads (the silos, their counters and the grains).</summary>
    private static readonly string[] Routes = ["/dashboard/", "/dashboard/DashboardCounters"];

    [Fact]
    public async Task Without_credentials_the_cluster_view_answers_401_with_the_reason()
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.HealthEndpoint) };
        foreach (var route in Routes)
        {
            using var response = await http.GetAsync(route);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            Assert.Contains("\"UNAUTHENTICATED\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_tenant_admin_is_refused_403_and_an_operator_sees_the_silo()
    {
        var tenant = "dash-t";
        var create = new CreateTenantRequest { Id = tenant, DisplayName = tenant, Quota = Api.Res(4, 16) };
        create.AllowedRegions.Add("france-centre");
        await new Tenants.TenantsClient(host.As("svc:tooling")).CreateTenantAsync(create);
        var access = new Access.AccessClient(host.As("so-1"));
        await access.RegisterPrincipalAsync(new RegisterPrincipalRequest
        {
            Principal = new Principal { Id = "dash-admin", Kind = PrincipalKind.Person, Employer = "operator" },
        });
        await access.AssignRoleAsync(new AssignRoleRequest { Principal = "dash-admin", Role = Role.TenantAdmin, Scope = $"tenant:{tenant}" });
        var silo = (await new Diagnostics.DiagnosticsClient(host.As("op-idf-1")).PingAsync(new PingRequest())).Silo;

        foreach (var route in Routes)
        {
            using var refused = await GetAsync(host.HealthEndpoint + route, host.Token("dash-admin"));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("\"ROLE_REQUIRED\"", await refused.Content.ReadAsStringAsync());
        }
        foreach (var reader in new[] { "op-idf-1", "aud-1" })
        {
            using var page = await GetAsync(host.HealthEndpoint + Routes[0], host.Token(reader));
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode} {page.Headers.Location}");
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        // Grain state (a tenant's instances) stays behind the API and the lockbox, even for an operator.
        using var state = await GetAsync($"{host.HealthEndpoint}/dashboard/GrainState?grainId=dash-t&grainType=ControlPlane.Grains.Tenants.TenantGrain", host.Token("op-idf-1"));
        Assert.Equal(HttpStatusCode.NotFound, state.StatusCode);
        Assert.Contains("\"GRAIN_STATE_NOT_SERVED\"", await state.Content.ReadAsStringAsync());
        // The dashboard's collector fills in within its first update interval.
        await Eventually.HoldsAsync(async () =>
        {
            using var stats = await GetAsync(host.HealthEndpoint + Routes[1], host.Token("op-idf-1"));
            var body = await stats.Content.ReadAsStringAsync();
            return (stats.StatusCode == HttpStatusCode.OK && body.Contains(silo, StringComparison.Ordinal), $"{(int)stats.StatusCode} {body[..Math.Min(body.Length, 1000)]}");
        }, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task The_gRPC_port_does_not_serve_the_cluster_view()
    {
        // The gRPC port is HTTP/2 over TLS; its certificate is the test CA's, not checked here: only the answer matters.
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Endpoint + Routes[1])
        {
            Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Token("op-idf-1"));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> GetAsync(string url, string token)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }
}

/// <summary>The cluster view in an embedded development host: on by default and open to the development identity; off when set so.</summary>
public sealed class ClusterViewSettingTests
{
    [Fact]
    public async Task The_setting_off_leaves_no_cluster_view_on_the_health_port()
    {
        var host = new DashboardHost(enabled: false);
        await host.InitializeAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(host.HealthEndpoint) };
            using var page = await http.GetAsync("/dashboard");
            using var stats = await http.GetAsync("/dashboard/DashboardCounters");
            using var health = await http.GetAsync("/alive");
            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK), (page.StatusCode, stats.StatusCode, health.StatusCode));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private sealed class DashboardHost(bool enabled) : HostFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("ControlPlane:Dashboard:Enabled", enabled ? "true" : "false")];
    }
}

/// <summary>The shared development host: the dashboard is on (embedded default) and the development identity reads it, as it calls the API.</summary>
[Collection(HostCollection.Name)]
public sealed class ClusterViewDevelopmentTests(HostFixture host)
{
    [Fact]
    public async Task The_development_identity_opens_the_cluster_view_without_credentials()
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.HealthEndpoint) };
        using var page = await http.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
