using System.Diagnostics;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Telemetry;

public static class PersistenceTracing
{
    /// <summary>
    /// Writes the state; when the write fails, the activation goes once idle, so that the next call
    /// reads what is stored rather than the change memory holds.
    /// </summary>
    public static async Task PersistOrForgetAsync<T>(this IPersistentState<T> state, Grain grain)
    {
        try
        {
            await state.PersistAsync(grain);
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Writes a grain's state inside a "persist" span, so that a trace shows where a request waited on storage.</summary>
    public static async Task PersistAsync<T>(this IPersistentState<T> state, Grain grain)
    {
        using var activity = ControlPlaneTelemetry.Source.StartActivity($"persist {typeof(T).Name}");
        activity?.SetTag("controlplane.grain", grain.GetGrainId().ToString());
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.AddException(e);
            throw;
        }
    }
}
