using ControlPlane.Contracts.V1;
using ControlPlane.Silo;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The real ControlPlane host (silo + gRPC gateway, default 10,000-server topology) on a free
/// loopback port, shared by every end-to-end test; clients call it over a real socket.
/// </summary>
public class HostFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string Endpoint { get; private set; } = "";
    public string HealthEndpoint { get; private set; } = "";
    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>What the operations log (Information and above of ControlPlane.Grains.Operations; the console keeps Warning).</summary>
    public CapturedLogs Logs { get; } = new();

    public Contracts.V1.Topology.TopologyClient Topology => new(Channel);
    public Tenants.TenantsClient Tenants => new(Channel);
    public Provisioning.ProvisioningClient Provisioning => new(Channel);

    /// <summary>The host's own grains, for what only the cluster itself reports (ops-centre changes).</summary>
    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Settings a derived fixture adds or overrides.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public virtual async Task InitializeAsync()
    {
        var grpcPort = 0;
        _app = await Ports.StartAsync(() =>
        {
            grpcPort = Ports.Free();
            HealthEndpoint = $"http://127.0.0.1:{Ports.Free()}";
            var settings = new Dictionary<string, string?>
            {
                ["ControlPlane:Silo:GrpcListen"] = $"127.0.0.1:{grpcPort}",
                ["ControlPlane:Silo:HealthListen"] = HealthEndpoint["http://".Length..],
                ["ControlPlane:Silo:SiloPort"] = Ports.Free().ToString(),
                ["ControlPlane:Silo:OrleansGatewayPort"] = Ports.Free().ToString(),
                ["ControlPlane:Agents:Latency"] = "00:00:00.005",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in Settings) settings[key] = value;
            return ControlPlaneHost.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.AddProvider(Logs);
                builder.Logging.AddFilter<CapturedLogs>("ControlPlane.Grains.Operations", LogLevel.Information);
            });
        });
        Endpoint = $"http://127.0.0.1:{grpcPort}";
        Channel = GrpcChannel.ForAddress(Endpoint);
    }

    public virtual async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostFixture>
{
    public const string Name = "host";
}
