using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace ControlPlane.Grains.Storage;

public static class InProcessGrainStorageExtensions
{
    /// <summary>The embedded mode's grain storage: <see cref="InProcessGrainStorage"/> under <paramref name="name"/>, which also reads in batches.</summary>
    public static ISiloBuilder AddInProcessGrainStorage(this ISiloBuilder silo, string name)
    {
        silo.Services.AddSingleton(services => new InProcessGrainStorage(services.GetRequiredService<DeepCopier>()));
        silo.Services.AddSingleton<IGrainStateBatchReader>(services => services.GetRequiredService<InProcessGrainStorage>());
        silo.Services.AddGrainStorage(name, (services, _) => services.GetRequiredService<InProcessGrainStorage>());
        return silo;
    }
}
