using ControlPlane.Grains;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Agents;
using ControlPlane.Grains.Audit;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Tests.Counting;
using ControlPlane.Grains.Tests.Faults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace ControlPlane.Grains.Tests;

/// <summary>One in-process silo for every grain test, on the small test topology.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The agents of the servers, which a test may break (see <see cref="FaultyAgents"/>).</summary>
    public FaultyAgents Agents => Silo.GetRequiredService<FaultyAgents>();

    /// <summary>Starts an operation while the agent of <paramref name="serverId"/> is broken, and waits for its end.</summary>
    public async Task<OperationInfo> WithBrokenAgentAsync(string serverId, Func<Task<OperationInfo>> start)
    {
        using (Agents.Break(serverId))
        {
            return await Grains.WaitAsync(await start());
        }
    }

    /// <summary>The grain-storage writes a test makes fail.</summary>
    public StorageFaults StorageFaults => Silo.GetRequiredService<StorageFaults>();

    /// <summary>The grains whose reminders were registered or removed.</summary>
    public ReminderWrites ReminderWrites => Silo.GetRequiredService<ReminderWrites>();

    /// <summary>The silo's services.</summary>
    public IServiceProvider Silo => Cluster.Silos[0].ServiceProvider;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{SimulatedAgentOptions.Section}:Latency"] = "00:00:00",
                // Operations left unfinished by a fault resume within seconds.
                [$"{OperationOptions.Section}:RecoveryPeriod"] = "00:00:01",
            });
            host.Services.AddControlPlaneGrains(host.Configuration);
            host.Services.AddSingleton<FaultyAgents>();
            host.Services.AddSingleton<IServerAgentClient>(sp => sp.GetRequiredService<FaultyAgents>());
            host.Services.AddSingleton(TestTopology.Create());
            host.Services.AddSingleton(TestTopology.Sizes());
            host.Services.AddSingleton(TestCatalogue.Offers());
            host.Services.AddSingleton<MemoryAuditStore>();
            host.Services.AddSingleton<IAuditStore, RefusingAuditStore>();
        });
        builder.ConfigureSilo((_, silo) => silo
            .UseSiloMetadata(new Dictionary<string, string> { ["opscentre"] = "idf" })
            .AddInProcessGrainStorage(StorageNames.State)
            .ConfigureServices(services => services
                .AddSingleton<StorageFaults>()
                .DecorateGrainStorage(StorageNames.State, (sp, inner) => new FaultyGrainStorage(inner, sp.GetRequiredService<StorageFaults>()))
                .DecorateGrainStorage(StorageNames.State, (_, inner) => new CountingGrainStorage(inner)))
            .GuardGrainStorage(StorageNames.State)
            .AddIncomingGrainCallFilter<CountingCallFilter>()
            .UseInMemoryReminderService()
            .ConfigureServices(services => DecorateReminderTable(services))
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)));
        builder.ConfigureClient(client => client.AddOutgoingGrainCallFilter(Callers.AttachDefaultAsync));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private static void DecorateReminderTable(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IReminderTable));
        services.Remove(registered);
        services.AddSingleton<ReminderWrites>();
        services.AddSingleton<IReminderTable>(sp => new CountingReminderTable(
            (IReminderTable)(registered.ImplementationInstance ?? registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            sp.GetRequiredService<ReminderWrites>()));
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
