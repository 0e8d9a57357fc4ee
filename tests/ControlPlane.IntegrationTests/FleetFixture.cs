using ControlPlane.AgentFleet;
using ControlPlane.Contracts.V1;
using ControlPlane.Silo;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The simulated agent fleet on a free loopback port, and a control plane whose agents are that
/// fleet (over the Agent gRPC contract): for tests that inject faults into the hardware.
/// </summary>
public class FleetFixture : IAsyncLifetime
{
    private WebApplication? _fleet;
    private WebApplication? _controlPlane;

    public GrpcChannel Fleet { get; private set; } = null!;
    public GrpcChannel ControlPlane { get; private set; } = null!;
    /// <summary>The control plane's gRPC address, for cpctl.</summary>
    public string Endpoint { get; private set; } = "";

    public FleetControl.FleetControlClient FleetControl => new(Fleet);
    public Provisioning.ProvisioningClient Provisioning => new(ControlPlane);
    public Tenants.TenantsClient Tenants => new(ControlPlane);
    public Contracts.V1.Topology.TopologyClient Topology => new(ControlPlane);
    public Servers.ServersClient Servers => new(ControlPlane);

    /// <summary>The agents themselves, as the control plane reaches them: what each server really runs.</summary>
    public Agent.AgentClient Agents => new(Fleet);

    /// <summary>Settings given to both the fleet and the control plane (e.g. another topology file).</summary>
    protected virtual Dictionary<string, string?> SharedSettings() => [];

    public async Task InitializeAsync()
    {
        var fleetPort = Ports.Free();
        var shared = SharedSettings();
        _fleet = AgentFleetHost.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(shared)
        {
            ["Fleet:Listen"] = $"127.0.0.1:{fleetPort}",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await _fleet.StartAsync();
        Fleet = GrpcChannel.ForAddress($"http://127.0.0.1:{fleetPort}");

        var grpcPort = 0;
        _controlPlane = await Ports.StartAsync(() => ControlPlaneHost.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(shared)
        {
            ["ControlPlane:Silo:GrpcListen"] = $"127.0.0.1:{grpcPort = Ports.Free()}",
            ["ControlPlane:Silo:HealthListen"] = $"127.0.0.1:{Ports.Free()}",
            ["ControlPlane:Silo:SiloPort"] = Ports.Free().ToString(),
            ["ControlPlane:Silo:OrleansGatewayPort"] = Ports.Free().ToString(),
            ["ControlPlane:Agents:Endpoint"] = $"http://127.0.0.1:{fleetPort}",
            ["ControlPlane:Agents:Resilience:BaseDelay"] = "00:00:00.005",
            ["ControlPlane:Agents:Resilience:AttemptTimeout"] = "00:00:02",
            ["ControlPlane:Agents:Resilience:BreakerBreakDuration"] = "00:00:01",
            // Reconciliation paced for tests: a pass every quarter second, a silent server failed after 4 s
            // (short, yet long enough that a loaded test machine does not fail servers that are only slow).
            ["ControlPlane:Reconcile:Period"] = "00:00:00.250",
            ["ControlPlane:Reconcile:FailAfter"] = "00:00:04",
            ["Logging:LogLevel:Default"] = "Warning",
        })));
        Endpoint = $"http://127.0.0.1:{grpcPort}";
        ControlPlane = GrpcChannel.ForAddress(Endpoint);
    }

    public virtual async Task DisposeAsync()
    {
        ControlPlane?.Dispose();
        Fleet?.Dispose();
        foreach (var app in new[] { _controlPlane, _fleet })
        {
            if (app is null) continue;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
