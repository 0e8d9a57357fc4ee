using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ControlPlane.Grains.Storage;

public static class GrainStorageDecorators
{
    /// <summary>
    /// Guards the grain storage registered as <paramref name="name"/> (<see cref="GuardedGrainStorage"/>): call it after the
    /// provider is added, in every mode.
    /// </summary>
    public static ISiloBuilder GuardGrainStorage(this ISiloBuilder silo, string name)
    {
        silo.Services.DecorateGrainStorage(name, (services, inner) =>
            new GuardedGrainStorage(inner, name, services.GetRequiredService<ILogger<GuardedGrainStorage>>()));
        return silo;
    }

    /// <summary>
    /// Replaces the grain storage registered as <paramref name="name"/> by <paramref name="decorate"/> of it. A decorator must
    /// pass <see cref="ILifecycleParticipant{ISiloLifecycle}"/> on: the provider's registration casts the keyed service to it.
    /// </summary>
    public static IServiceCollection DecorateGrainStorage(this IServiceCollection services, string name, Func<IServiceProvider, IGrainStorage, IGrainStorage> decorate)
    {
        var registered = services.LastOrDefault(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name))
            ?? throw new InvalidOperationException($"no grain storage '{name}' is registered: add the provider before decorating it");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, key) => decorate(sp, Create(registered, sp, key)));
        return services;
    }

    private static IGrainStorage Create(ServiceDescriptor registered, IServiceProvider services, object? key) =>
        (IGrainStorage)(registered.KeyedImplementationInstance
            ?? registered.KeyedImplementationFactory?.Invoke(services, key)
            ?? ActivatorUtilities.CreateInstance(services, registered.KeyedImplementationType!));
}
