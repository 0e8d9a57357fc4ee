using System.Globalization;
using Orleans.Storage;

namespace ControlPlane.Silo;

/// <summary>
/// The durable mode's grain storage: Orleans' ADO.NET provider for reads and clears, and its writes sent through
/// <see cref="PostgresWriteBatcher"/>, to the same rows with the same statement, versions and conflict rule (a write at a
/// version that is no longer the stored one is refused with <see cref="InconsistentStateException"/>). Concurrent
/// writes of many grains then cost PostgreSQL one round trip and one commit per batch instead of one per write.
/// </summary>
public sealed class PostgresBatchedGrainStorage(IGrainStorage provider, PostgresWriteBatcher batcher, IGrainStorageSerializer serializer,
    string name, string serviceId) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ClearStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // A generic state type's name is rewritten by the provider before it is stored: left to it.
        if (stateName.Contains('`'))
        {
            await provider.WriteStateAsync(stateName, grainId, grainState);
            return;
        }
        var expected = string.IsNullOrWhiteSpace(grainState.ETag) ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var payload = serializer.Serialize(grainState.State).ToArray();
        var version = await batcher.WriteAsync(GrainRowKey.Of(serviceId, stateName, grainId), expected, payload);
        var stored = version?.ToString(CultureInfo.InvariantCulture);
        if (stored is null || stored == grainState.ETag)
        {
            throw new InconsistentStateException(
                $"Version conflict (WriteState): ServiceId={serviceId} ProviderName={name} GrainType={stateName} GrainId={grainId} ETag={grainState.ETag}.");
        }
        grainState.ETag = stored;
        grainState.RecordExists = true;
    }

    /// <summary>The provider loads its queries in the silo's lifecycle: it still does.</summary>
    public void Participate(ISiloLifecycle lifecycle) => (provider as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
