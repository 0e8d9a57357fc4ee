using ControlPlane.Domain.Topology;
using ControlPlane.Grains;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Abstractions.Cluster;
using ControlPlane.Grains.Affinity;
using ControlPlane.Grains.Cluster;
using ControlPlane.Grains.Agents;
using ControlPlane.Grains.Audit;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.DisasterRecovery;
using ControlPlane.Grains.Events;
using ControlPlane.Grains.Instances;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Scheduling;
using ControlPlane.Grains.Servers;
using ControlPlane.Grains.Services;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using ControlPlane.Grains.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Placement;

namespace ControlPlane.Grains;

public static class GrainServices
{
    /// <summary>Registers what the grains need: topology, size and offer catalogues, the workflow of each kind of operation, agents and the clock.</summary>
    /// <param name="topology">The topology the host already loaded (it checks its settings against it); null: read from ControlPlane:Topology.</param>
    public static IServiceCollection AddControlPlaneGrains(this IServiceCollection services, IConfiguration configuration, PlatformTopology? topology = null)
    {
        services.AddOptions<TopologyOptions>().Bind(configuration.GetSection(TopologyOptions.Section));
        services.AddOptions<OperationOptions>().Bind(configuration.GetSection(OperationOptions.Section))
            .Validate(o => o.IndexCapacity >= 100 && o.IndexFlushPeriod > TimeSpan.Zero && o.IndexWritePeriod > TimeSpan.Zero && o.DrainTimeout > TimeSpan.Zero
                    && o.RecoveryPeriod > TimeSpan.Zero && o.RecoverySweepLimit > 0,
                "ControlPlane:Operations:IndexCapacity must be at least 100, IndexFlushPeriod, IndexWritePeriod, DrainTimeout, RecoveryPeriod and RecoverySweepLimit positive")
            .ValidateOnStart();
        services.AddOptions<PlacementOptions>().Bind(configuration.GetSection(PlacementOptions.Section)).ValidateOnStart();
        services.AddOptions<ReconcileOptions>().Bind(configuration.GetSection(ReconcileOptions.Section))
            .Validate(o => o.SilentFailureLimit >= 1 && o.SilentFailureShare is > 0 and <= 1,
                "ControlPlane:Reconcile:SilentFailureLimit must be at least 1 and ControlPlane:Reconcile:SilentFailureShare within (0, 1]")
            .ValidateOnStart();
        services.AddOptions<DisasterRecoveryOptions>().Bind(configuration.GetSection(DisasterRecoveryOptions.Section));
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section));
        services.AddOptions<SecurityPolicyOptions>().Bind(configuration.GetSection(SecurityPolicyOptions.Section))
            .Validate(o => !o.Problems().Any(), "ControlPlane:Security:Policy is not valid").ValidateOnStart();
        // The durable mode replaces it with the PostgreSQL store.
        services.TryAddSingleton<IAuditStore, MemoryAuditStore>();
        services.TryAddSingleton<IAuditAnchor, MemoryAuditAnchor>();
        services.TryAddSingleton<IGrainStateBatchReader, NoGrainStateBatchReads>();
        services.AddOptions<SimulatedAgentOptions>().Bind(configuration.GetSection(SimulatedAgentOptions.Section));
        services.AddSingleton(sp => topology ?? PlatformTopology.Load(TopologyOptions.Resolve(sp.GetRequiredService<IOptions<TopologyOptions>>().Value.File)));
        services.AddSingleton(sp => SizeCatalog.Load(TopologyOptions.Resolve(sp.GetRequiredService<IOptions<TopologyOptions>>().Value.SizesFile)));
        services.AddSingleton(sp => OfferCatalogue.Load(TopologyOptions.Resolve(sp.GetRequiredService<IOptions<TopologyOptions>>().Value.OffersFile),
            sp.GetRequiredService<SizeCatalog>()));
        services.AddSingleton<CreateInstanceValidator>();
        services.AddSingleton<OrderServiceValidator>();
        services.AddSingleton<IOperationWorkflow, CreateInstanceWorkflow>();
        services.AddSingleton<IOperationWorkflow, DeleteInstanceWorkflow>();
        services.AddSingleton<IOperationWorkflow, MoveInstanceWorkflow>();
        services.AddSingleton<IOperationWorkflow, ZoneRedundantWorkflow>();
        services.AddSingleton<IOperationWorkflow, OrderServiceWorkflow>();
        services.AddSingleton<IOperationWorkflow, CancelServiceWorkflow>();
        services.AddSingleton<IOperationWorkflow, DrainServerWorkflow>();
        services.AddSingleton<OperationWorkflows>();
        services.AddSingleton<OperationIndexer>();
        services.AddHostedService(sp => sp.GetRequiredService<OperationIndexer>());
        // IUnfinishedOperations comes with the grain storage: AddInProcessGrainStorage, or the durable mode's PostgreSQL list.
        services.AddHostedService<OperationRecovery>();
        services.AddSingleton<TopologySync>();
        services.AddHostedService<TopologyFollower>();
        services.AddOptions<AgentResilienceOptions>().Bind(configuration.GetSection(AgentResilienceOptions.Section));
        services.AddSingleton<AgentCallPipeline>();
        services.AddSingleton<ZoneCapacityMetrics>();
        services.AddSingleton<OperationCensus>();
        services.AddSingleton<SimulatedServerAgentClient>();
        services.AddSingleton<IServerAgentClient>(sp => sp.GetRequiredService<SimulatedServerAgentClient>());
        services.AddSingleton(TimeProvider.System);
        services.AddPlacementFilter<OpsCentreAffinityStrategy, OpsCentreAffinityDirector>(ServiceLifetime.Singleton);
        services.AddSingleton<PlacementGuard>();
        services.AddSingleton<IClusterMembers, ClusterMembers>();
        services.AddSingleton<OpsCentreWatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<OpsCentreWatcher>());
        services.AddSingleton<IIncomingGrainCallFilter, CallerRequiredFilter>();
        return services;
    }
}
