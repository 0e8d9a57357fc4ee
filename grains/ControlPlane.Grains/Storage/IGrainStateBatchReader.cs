namespace ControlPlane.Grains.Storage;

/// <summary>
/// Reads the stored states of many grains in one go, where the storage can: what each grain would read at its own
/// activation, without activating them. A zone learns its servers this way (one read instead of 2,500 activations).
/// </summary>
public interface IGrainStateBatchReader
{
    /// <summary>
    /// The stored state <paramref name="stateName"/> of each of <paramref name="grains"/> that has one (a grain never
    /// written is absent); null when this storage cannot read in a batch, and the caller asks each grain.
    /// </summary>
    Task<IReadOnlyDictionary<GrainId, T>?> ReadAsync<T>(string stateName, IReadOnlyCollection<GrainId> grains, CancellationToken cancellationToken = default);
}

/// <summary>No batch reads: callers ask each grain.</summary>
public sealed class NoGrainStateBatchReads : IGrainStateBatchReader
{
    public Task<IReadOnlyDictionary<GrainId, T>?> ReadAsync<T>(string stateName, IReadOnlyCollection<GrainId> grains, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<GrainId, T>?>(null);
}
