using System.Net;
using ControlPlane.Domain.Topology;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ControlPlane.AgentFleet;

/// <summary>The simulated agent fleet: one process serving the agents of every server of the topology.</summary>
public static class AgentFleetHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection(FleetOptions.Section).Get<FleetOptions>() ?? new FleetOptions();
        if (!IPEndPoint.TryParse(options.Listen, out var endpoint))
        {
            throw new InvalidOperationException($"{FleetOptions.Section}:Listen '{options.Listen}' is not host:port with an IP address");
        }
        var topologyOptions = builder.Configuration.GetSection(TopologyOptions.Section).Get<TopologyOptions>() ?? new TopologyOptions();

        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.Configure<FleetOptions>(builder.Configuration.GetSection(FleetOptions.Section));
        builder.Services.AddSingleton(PlatformTopology.Load(TopologyOptions.Resolve(topologyOptions.File)));
        builder.Services.AddSingleton<FleetState>();
        builder.Services.AddGrpc();
        builder.Services.AddGrpcReflection();

        var app = builder.Build();
        app.MapGrpcService<AgentService>();
        app.MapGrpcService<FleetControlService>();
        app.MapGrpcReflectionService();
        return app;
    }
}
