using ControlPlane.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ControlPlane.Grains.Tests.Storage;

/// <summary>What the test silo's grain storage holds, read directly, and its activations collected so the next call reads it again.</summary>
public static class FixtureStorage
{
    public static async Task<GrainState<T>> ReadStoredAsync<T>(this ClusterFixture fixture, string stateName, GrainId id) where T : new()
    {
        var state = new GrainState<T>(new T());
        await fixture.Silo.GetRequiredKeyedService<IGrainStorage>(StorageNames.State).ReadStateAsync(stateName, id, state);
        return state;
    }

    /// <summary>Deactivates every idle activation of the silo.</summary>
    public static Task CollectAsync(this ClusterFixture fixture) =>
        fixture.Silo.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
}
