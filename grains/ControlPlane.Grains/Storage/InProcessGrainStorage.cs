using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace ControlPlane.Grains.Storage;

/// <summary>
/// Grain state held in the silo's own memory, for the embedded mode (one silo, nothing kept across
/// restarts). Each write stores a deep copy made by the Orleans serializer's generated copiers and
/// each read hands out a copy, so a grain that changes its state without writing it changes
/// nothing stored, as with a database. ETags are checked as a database provider checks them.
/// Orleans' memory provider does the same through storage grains and JSON, at several times the cost
/// per write (see docs/benchmarks.md).
/// </summary>
public sealed class InProcessGrainStorage(DeepCopier copier) : IGrainStorage, IGrainStateBatchReader
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();
    private long _version;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = copier.Copy((T)entry.State);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<GrainId, T>?> ReadAsync<T>(string stateName, IReadOnlyCollection<GrainId> grains, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<GrainId, T>(grains.Count);
        foreach (var grain in grains)
        {
            if (_entries.TryGetValue((stateName, grain), out var entry)) found[grain] = copier.Copy((T)entry.State);
        }
        return Task.FromResult<IReadOnlyDictionary<GrainId, T>?>(found);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var written = new Entry(copier.Copy(grainState.State)!, NextETag());
        var stored = _entries.TryGetValue(key, out var current);
        if (stored ? current!.ETag != grainState.ETag || !_entries.TryUpdate(key, written, current) : grainState.ETag is not null || !_entries.TryAdd(key, written))
        {
            throw Conflict(stateName, grainId, grainState.ETag);
        }
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        if (_entries.TryGetValue(key, out var current))
        {
            if (current.ETag != grainState.ETag || !_entries.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, current)))
            {
                throw Conflict(stateName, grainId, grainState.ETag);
            }
        }
        // As the database providers do: the cleared state reads as a new one.
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private string NextETag() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict(string stateName, GrainId grainId, string? etag) =>
        new($"state '{stateName}' of {grainId} was written by another activation (ETag {etag ?? "none"} is stale)",
            etag ?? "", _entries.TryGetValue((stateName, grainId), out var current) ? current.ETag : "");

    /// <summary>A class, not a record: updates compare entries by reference.</summary>
    private sealed class Entry(object state, string etag)
    {
        public object State { get; } = state;
        public string ETag { get; } = etag;
    }
}
