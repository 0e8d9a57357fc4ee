using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace ControlPlane.Grains.Storage;

public static class InProcessGrainStorageExtensions
{
    /// <summary>The embedded mode's grain storage: <see cref="InProcessGrainStorage"/> under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddInProcessGrainStorage(this ISiloBuilder silo, string name)
    {
        silo.Services.AddGrainStorage(name, (services, _) => new InProcessGrainStorage(services.GetRequiredService<DeepCopier>()));
        return silo;
    }
}
