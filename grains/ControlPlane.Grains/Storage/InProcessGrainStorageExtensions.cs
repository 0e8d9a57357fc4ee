using ControlPlane.Grains.Operations;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace ControlPlane.Grains.Storage;

public static class InProcessGrainStorageExtensions
{
    /// <summary>
    /// The embedded mode's grain storage: <see cref="InProcessGrainStorage"/> under <paramref name="name"/>, which also reads in
    /// batches, and keeps the list of unfinished operations (<see cref="InProcessUnfinishedOperations"/>).
    /// </summary>
    public static ISiloBuilder AddInProcessGrainStorage(this ISiloBuilder silo, string name)
    {
        silo.Services.AddSingleton(services => new InProcessGrainStorage(services.GetRequiredService<DeepCopier>()));
        silo.Services.AddSingleton<IGrainStateBatchReader>(services => services.GetRequiredService<InProcessGrainStorage>());
        silo.Services.AddSingleton<InProcessUnfinishedOperations>();
        silo.Services.AddSingleton<IUnfinishedOperations>(services => services.GetRequiredService<InProcessUnfinishedOperations>());
        silo.Services.AddGrainStorage(name, (services, _) =>
            services.GetRequiredService<InProcessUnfinishedOperations>().Follow(services.GetRequiredService<InProcessGrainStorage>()));
        return silo;
    }
}
