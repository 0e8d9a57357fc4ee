using ControlPlane.Grains.Abstractions.Errors;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ControlPlane.Grains.Storage;

/// <summary>
/// The grain storage as the grains see it: the provider's, except that a failure of the provider (a
/// database restarting, a broken connection, a timeout) becomes <see cref="Failures.StorageUnavailable"/>,
/// a ControlPlaneException every silo can deserialize and the gateway answers UNAVAILABLE, logged here
/// once with the provider's own exception. Such a failure is the cluster's, never an agent's nor the
/// caller's, and never crosses silos as an exception type they cannot read (Npgsql's, for one).
/// A concurrency conflict (<see cref="InconsistentStateException"/>) passes as it is: it means another
/// activation wrote the state, not that storage failed.
/// </summary>
public sealed partial class GuardedGrainStorage(IGrainStorage inner, string name, ILogger<GuardedGrainStorage> logger)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The provider this guards.</summary>
    public IGrainStorage Inner => inner;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        GuardAsync("read", stateName, grainId, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        GuardAsync("write", stateName, grainId, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        GuardAsync("clear", stateName, grainId, () => inner.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>The provider takes part in the silo's lifecycle (the database providers load their queries there): it still does.</summary>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private async Task GuardAsync(string action, string stateName, GrainId grainId, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is not (InconsistentStateException or ControlPlaneException))
        {
            LogStorageFailed(logger, e, action, stateName, grainId, name);
            throw Failures.StorageUnavailable(action, stateName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage '{Storage}' failed to {Action} state '{StateName}' of {GrainId}: answered STORAGE_UNAVAILABLE")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, string action, string stateName, GrainId grainId, string storage);
}
