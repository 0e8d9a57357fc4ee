using ControlPlane.Gateway;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ControlPlane.Silo;

/// <summary>Builds the ControlPlane process: an Orleans silo co-hosting the gRPC gateway.</summary>
public static class ControlPlaneHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        var problems = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SiloOptions.Section, typeof(SiloOptions), problems.Select(p => p.ErrorMessage!));
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(options.GrpcEndpoint, listen => listen.Protocols = HttpProtocols.Http2));

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.OrleansGatewayPort);
            silo.AddMemoryGrainStorage(StorageNames.State);
            silo.UseInMemoryReminderService();
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(5));
        });

        builder.Services.AddControlPlaneGrains(builder.Configuration);
        builder.Services.AddHostedService<TopologyWarmUp>();
        builder.Services.AddControlPlaneGateway();

        var app = builder.Build();
        app.MapControlPlaneGateway();
        return app;
    }
}
