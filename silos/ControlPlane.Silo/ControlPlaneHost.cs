using System.Net;
using System.Security.Cryptography.X509Certificates;
using ControlPlane.Contracts.Security;
using ControlPlane.Domain.Topology;
using ControlPlane.Gateway;
using ControlPlane.Gateway.Errors;
using ControlPlane.Gateway.Security;
using ControlPlane.Grains;
using ControlPlane.Grains.Affinity;
using ControlPlane.Grains.Agents;
using ControlPlane.Grains.Audit;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Storage;
using ControlPlane.Silo.Agents;
using ControlPlane.Silo.Dashboard;
using ControlPlane.Silo.Health;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Dashboard;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Storage;

namespace ControlPlane.Silo;

/// <summary>Builds the ControlPlane process: an Orleans silo co-hosting the gRPC gateway.</summary>
public static class ControlPlaneHost
{
    private const string PostgresInvariant = "Npgsql";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Its settings (appsettings.json) and topology beside the binary, whatever folder it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        // Before the topology loads (seconds): a busy port stops the start at once, named.
        // A setting that is not valid is left to the validation below, which names it.
        if (PortCheck.Addresses(options) is { } early) PortCheck.EnsureFree(options, early);
        var topologyOptions = builder.Configuration.GetSection(TopologyOptions.Section).Get<TopologyOptions>() ?? new TopologyOptions();
        var topology = PlatformTopology.Load(TopologyOptions.Resolve(topologyOptions.File));
        var security = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        if (security.Mode.Length == 0) security.Mode = options.IsDurable ? SecurityOptions.Enforced : SecurityOptions.Development;
        var tls = builder.Configuration.GetSection(TransportSecurityOptions.Section).Get<TransportSecurityOptions>() ?? new TransportSecurityOptions();
        var detection = builder.Configuration.GetSection(FailureDetectionOptions.Section).Get<FailureDetectionOptions>() ?? new FailureDetectionOptions();
        var gateway = builder.Configuration.GetSection(GrpcGatewayOptions.Section).Get<GrpcGatewayOptions>() ?? new GrpcGatewayOptions();
        var dashboard = (builder.Configuration.GetSection(ClusterViewOptions.Section).Get<ClusterViewOptions>() ?? new ClusterViewOptions())
            .IsEnabled(options.IsDurable);
        var problems = options.Problems([.. topology.Regions.Select(r => r.OpsCentre).Distinct()])
            .Concat(security.Problems(options.IsDurable)).Concat(tls.Problems()).Concat(detection.Problems()).Concat(gateway.Problems()).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(SiloHostOptions.Section, typeof(SiloHostOptions), problems);
        }
        // Host names in the listen and advertised settings resolve once, here: a name that does not stops the start, named.
        var addresses = options.Resolve();
        builder.Services.AddSingleton(options);
        var auditAnchor = options.IsDurable ? AuditAnchorOf(builder.Configuration) : null;

        var certificate = tls.Enabled ? tls.LoadCertificate() : null;
        var peers = certificate is not null && options.IsDurable ? SiloPeers(certificate, tls) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel's default (100 streams) resets the streams a loaded client opens beyond it; the gateway's own
            // limit (GrpcGatewayOptions.MaxConcurrentCalls) answers OVERLOADED instead.
            kestrel.Limits.Http2.MaxStreamsPerConnection = gateway.MaxStreamsPerConnection;
            kestrel.Listen(addresses.Grpc, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (certificate is null) return;
                listen.UseHttps(certificate, https =>
                {
                    // People come with bearer tokens, tooling with a client certificate: ask, do not require.
                    // The certificate handler decides whether it is one of the operator's CA.
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.AllowAnyClientCertificate();
                });
            });
            kestrel.Listen(addresses.Health, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.AddControlPlaneTelemetry(options);
        builder.AddSiloLifetime(options);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, options.ServiceId));
            if (options.SiloName.Length > 0) silo.Configure<SiloOptions>(o => o.SiloName = options.SiloName);
            silo.UseSiloMetadata(new Dictionary<string, string> { [OpsCentreAffinityDirector.MetadataKey] = options.OpsCentre });
            // Operations have no reminder (OperationRecovery); those stored by an earlier version kept a 15 s one, which these
            // settings still serve until they end. Orleans warns at every start that periods under 1 min are "high-frequency";
            // appsettings.json lowers that validator's category to Error. The reminder table is also read again every 30 s
            // (Orleans: 5 min), so that a reminder in a range whose read failed when it changed owner (a silo died) is woken
            // within half a minute, not five.
            silo.Configure<ReminderOptions>(o => (o.MinimumReminderPeriod, o.RefreshReminderListPeriod) = (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)));
            // Orleans' default (500 ms) wakes every silo twice a second per stateless-worker grain, idle or not.
            silo.Configure<StatelessWorkerOptions>(o => o.IdleWorkersInspectionPeriod = options.IdleWorkersInspectionPeriod);
            // Orleans' default (1 s) has every silo call every other one each second to share its load, idle or not.
            silo.Configure<DeploymentLoadPublisherOptions>(o => o.DeploymentLoadPublisherRefreshTime = options.LoadStatisticsPeriod);
            silo.AddActivityPropagation();
            silo.Services.AddSingleton<IFatalErrorHandler, ClusterEvictionHandler>();
            // The dashboard profiles every grain call (about 10 % of throughput): only when asked for (ControlPlane:Dashboard:Enabled).
            if (dashboard) silo.AddDashboard();
            if (options.IsDurable)
            {
                ConfigureDurable(silo, options, addresses.Advertised, detection);
                if (certificate is not null && peers is not null) UseMutualTls(silo, certificate, peers);
                silo.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(StorageConnection.From(options.ConnectionString)));
                silo.Services.AddSingleton<ControlPlane.Grains.Audit.IAuditStore, PostgresAuditStore>();
                silo.Services.AddSingleton<IGrainStateBatchReader, PostgresGrainStateBatchReader>();
                silo.Services.AddSingleton<IUnfinishedOperations, PostgresUnfinishedOperations>();
                silo.Services.AddSingleton(auditAnchor!);
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.OrleansGatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddInProcessGrainStorage(StorageNames.State);
                silo.UseInMemoryReminderService();
            }
            // Storage failures reach the grains as STORAGE_UNAVAILABLE, never as the provider's exceptions.
            silo.GuardGrainStorage(StorageNames.State);
        });

        builder.Services.AddControlPlaneGrains(builder.Configuration, topology);
        if (builder.Configuration[$"{SimulatedAgentOptions.Section}:Endpoint"] is { Length: > 0 } agentEndpoint)
        {
            // Agents out of process (a real agent endpoint or the simulated fleet) instead of the in-process simulation.
            builder.Services.AddSingleton(GrpcChannel.ForAddress(agentEndpoint,
                Channels.Options(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })));
            builder.Services.AddSingleton<IServerAgentClient, GrpcServerAgentClient>();
        }
        builder.Services.AddHostedService<TopologyWarmUp>();
        builder.Services.AddControlPlaneGateway(gateway);
        var authentication = builder.Services.AddControlPlaneAuthentication(security);
        if (tls.Enabled) authentication.AddControlPlaneClientCertificates(tls);
        var health = builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"])
            .AddCheck<MembershipHealthCheck>("membership")
            .AddCheck<TopologyHealthCheck>("topology");
        if (options.IsDurable) health.AddCheck<DatabaseHealthCheck>("database");

        var app = builder.Build();
        app.UseSiloLifetime();
        app.UseStartupJitProfile();
        peers?.UseLogger(app.Services.GetRequiredService<ILogger<SiloPeerCertificates>>());
        if (auditAnchor is { Enabled: false })
        {
            app.Logger.LogWarning("No {Setting}: the audit chain's head is not anchored outside the database (docs/audit.md)", $"{AuditOptions.Section}:AnchorFile");
        }

        // Before the services: a call beyond the gateway's capacity is refused before any work (OVERLOADED).
        app.UseControlPlaneOverloadGuard();
        // Before the endpoints: the cluster view needs the API's read-infrastructure right.
        app.UseInfrastructureReaderGate();
        app.MapControlPlaneGateway();
        var healthHost = $"*:{addresses.Health.Port}";
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportJson.WriteAsync }).RequireHost(healthHost);
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") }).RequireHost(healthHost);
        app.MapPrometheusScrapingEndpoint(Telemetry.MetricsPath).RequireHost(healthHost);
        if (dashboard)
        {
            app.MapOrleansDashboard(routePrefix: ClusterViewOptions.Path).RequireHost(healthHost).RequireInfrastructureReader();
            // Its grain-state page would show any grain's state (a tenant's instances) to an operator without a lockbox grant.
            app.Map(ClusterViewOptions.GrainStatePath, ClusterViewOptions.HideGrainStateAsync).WithOrder(-1).RequireHost(healthHost).RequireInfrastructureReader();
        }
        return app;
    }

    /// <summary>Durable mode: the signed file anchoring the audit chain's head, when configured; a bad setting stops the start, named.</summary>
    private static IAuditAnchor AuditAnchorOf(IConfiguration configuration)
    {
        var audit = configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();
        if (audit.AnchorFile.Length == 0) return new NoAuditAnchor();
        try
        {
            return FileAuditAnchor.Open(audit.AnchorFile, audit.AnchorKeyFile);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(AuditOptions.Section, typeof(AuditOptions), [e.Message]);
        }
    }

    /// <summary>The judge of the Orleans ports' peers; this silo's own certificate must pass it, or the others would refuse it.</summary>
    private static SiloPeerCertificates SiloPeers(X509Certificate2 certificate, TransportSecurityOptions tls)
    {
        var ca = new OperatorCa(tls.LoadCa(), tls.CheckRevocation);
        var own = SiloIdentity.Check(certificate, ca, TimeProvider.System.GetUtcNow());
        if (!own.IsAccepted)
        {
            throw new OptionsValidationException(TransportSecurityOptions.Section, typeof(TransportSecurityOptions),
                [$"{TransportSecurityOptions.Section}:CertificateFile '{tls.CertificateFile}' is not a silo certificate of the CA in CaFile: {own.Reason} (docs/durable-mode.md)"]);
        }
        return new SiloPeerCertificates(ca, TimeProvider.System);
    }

    /// <summary>
    /// Silo-to-silo and Orleans-gateway connections over TLS, both ends presenting a silo certificate of the operator's CA: the same
    /// check on inbound connections (silo and gateway ports) and outbound ones. The tooling's and people's certificates of that
    /// CA are for the gRPC gateway and are refused here.
    /// </summary>
    private static void UseMutualTls(ISiloBuilder silo, X509Certificate2 certificate, SiloPeerCertificates peers) => silo.UseTls(tls =>
    {
        tls.LocalCertificate = certificate;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (remote, _, _) => peers.Accept(remote);
    });

    /// <summary>Membership, grain state and reminders in PostgreSQL (schema: deploy/sql/schema.sql).</summary>
    private static void ConfigureDurable(ISiloBuilder silo, SiloHostOptions options, IPAddress advertised, FailureDetectionOptions detection)
    {
        silo.ConfigureEndpoints(advertised, options.SiloPort, options.OrleansGatewayPort);
        silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (PostgresInvariant, MembershipConnection.From(options.ConnectionString)));
        var storage = StorageConnection.From(options.ConnectionString);
        silo.AddAdoNetGrainStorage(StorageNames.State, o => (o.Invariant, o.ConnectionString) = (PostgresInvariant, storage));
        if (options.BatchStateWrites)
        {
            silo.Services.AddSingleton<PostgresWriteBatcher>();
            silo.Services.DecorateGrainStorage(StorageNames.State, (services, provider) => new PostgresBatchedGrainStorage(provider,
                services.GetRequiredService<PostgresWriteBatcher>(), services.GetRequiredService<IGrainStorageSerializer>(), StorageNames.State, options.ServiceId));
        }
        silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (PostgresInvariant, storage));
        silo.UseSystemTextJsonGrainStorageSerializer();
        // A control plane must notice a dead silo in seconds, and never take a slow one for dead.
        silo.Configure<ClusterMembershipOptions>(detection.ApplyTo);
    }
}
