using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Telemetry;
using Orleans.Storage;

namespace ControlPlane.Grains.Telemetry;

public static class PersistenceTracing
{
    /// <summary>
    /// Writes a grain's state inside a "persist" span, so that a trace shows where a request waited on storage.
    /// When the write fails, the activation goes once idle, so that the next call reads what is stored rather
    /// than the change memory holds; a storage failure reaches the caller as the guard's STORAGE_UNAVAILABLE
    /// (<see cref="Storage.GuardedGrainStorage"/>), which Orleans wraps on its way out of the provider.
    /// </summary>
    public static async Task PersistAsync<T>(this IPersistentState<T> state, Grain grain)
    {
        using var activity = ControlPlaneTelemetry.Source.StartActivity($"persist {typeof(T).Name}");
        await StoreOrForgetAsync(state.WriteStateAsync, grain, activity);
    }

    /// <summary>
    /// Writes a state a grain keeps under an id of its own (a page of <see cref="Storage.EntryPages{T}"/>), inside a
    /// "persist" span; a failure is handled as a failed write of the grain's own state is (<see cref="PersistAsync{T}"/>).
    /// </summary>
    public static async Task PersistAsync<T>(this IGrainStorage storage, string stateName, GrainId id, IGrainState<T> state, Grain grain)
    {
        using var activity = ControlPlaneTelemetry.Source.StartActivity($"persist {stateName}");
        await StoreOrForgetAsync(() => storage.WriteStateAsync(stateName, id, state), grain, activity);
    }

    /// <summary>Clears a grain's state; a failure is handled as a failed write is (<see cref="PersistAsync{T}"/>).</summary>
    public static async Task ClearAsync<T>(this IPersistentState<T> state, Grain grain)
    {
        using var activity = ControlPlaneTelemetry.Source.StartActivity($"clear {typeof(T).Name}");
        await StoreOrForgetAsync(state.ClearStateAsync, grain, activity);
    }

    private static async Task StoreOrForgetAsync(Func<Task> store, Grain grain, Activity? activity)
    {
        activity?.SetTag("controlplane.grain", grain.GetGrainId().ToString());
        try
        {
            await store();
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.AddException(e);
            grain.DeactivateOnIdle();
            if (e is OrleansException { InnerException: ControlPlaneException storage }) ExceptionDispatchInfo.Throw(storage);
            throw;
        }
    }
}
