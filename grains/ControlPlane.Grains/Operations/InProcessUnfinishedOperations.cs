using System.Collections.Concurrent;
using Orleans.Storage;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// The embedded mode's <see cref="IUnfinishedOperations"/>: a decorator of the in-process grain storage that notes each
/// operation state it stored, once the write succeeded, as unfinished or not. What the durable mode's trigger does in
/// PostgreSQL, in the same process as the states it follows (both are lost together).
/// </summary>
public sealed class InProcessUnfinishedOperations(TimeProvider clock) : IUnfinishedOperations
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _open = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<UnfinishedOperation>> ListAsync(
        DateTimeOffset openedBefore, UnfinishedOperation? after, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UnfinishedOperation>>([.. _open
            .Select(o => new UnfinishedOperation(o.Key, o.Value))
            .Where(o => o.OpenedOn < openedBefore && (after is not { } a || IsAfter(o, a)))
            .OrderBy(o => o.OpenedOn).ThenBy(o => o.Key, StringComparer.Ordinal)
            .Take(limit)]);

    private static bool IsAfter(UnfinishedOperation o, UnfinishedOperation after) =>
        o.OpenedOn > after.OpenedOn || (o.OpenedOn == after.OpenedOn && string.CompareOrdinal(o.Key, after.Key) > 0);

    /// <summary>The storage <paramref name="inner"/>, with every operation state written through it followed here.</summary>
    public IGrainStorage Follow(IGrainStorage inner) => new Following(inner, this);

    private void Note(GrainId grain, object? state)
    {
        var key = grain.Key.ToString()!;
        if (state is OperationGrainState { Operation.IsTerminal: false }) _open.TryAdd(key, clock.GetUtcNow());
        else _open.TryRemove(key, out _);
    }

    private sealed class Following(IGrainStorage inner, InProcessUnfinishedOperations open) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            if (grainState.State is OperationGrainState state) open.Note(grainId, state);
        }

        public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            await inner.ClearStateAsync(stateName, grainId, grainState);
            if (typeof(T) == typeof(OperationGrainState)) open.Note(grainId, null);
        }

        public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
    }
}
