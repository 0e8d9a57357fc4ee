using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Grains.Operations;

/// <summary>
/// A bounded index of operations (<see cref="IOperationIndexGrain"/>). It holds every unfinished operation and the most
/// recent finished ones, at most <see cref="OperationOptions.IndexCapacity"/> in all: past it, the oldest finished go
/// first, then (only if unfinished alone fill it) the oldest unfinished. Its state is written behind, at most once per
/// <see cref="OperationOptions.IndexWritePeriod"/> and when the activation goes, never once per operation: a tenant with
/// 100,000 instances costs one bounded write every few seconds while it is busy. What a crash loses in between comes
/// back for unfinished operations with their next change (their reminders resume them); a finished one may be missing.
/// </summary>
public sealed partial class OperationIndexGrain(
    IOptions<OperationOptions> options,
    ILogger<OperationIndexGrain> logger,
    [PersistentState("operationIndex", StorageNames.State)] IPersistentState<OperationIndexState> state) : Grain, IOperationIndexGrain
{
    private readonly Dictionary<string, OperationInfo> _byId = new(StringComparer.Ordinal);
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var o in state.State.Operations) _byId[o.Id] = o;
        var period = options.Value.IndexWritePeriod;
        this.RegisterGrainTimer(WriteIfChangedAsync, period, period);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await WriteIfChangedAsync();
        }
        catch (Exception e)
        {
            LogWriteFailed(logger, e, this.GetPrimaryKeyString());
        }
    }

    public Task RecordAsync(ImmutableArray<OperationInfo> operations)
    {
        foreach (var o in operations)
        {
            if (_byId.TryGetValue(o.Id, out var held) && !IsNewer(o, held)) continue;
            _byId[o.Id] = o;
            _dirty = true;
        }
        Trim(_byId, options.Value.IndexCapacity);
        return Task.CompletedTask;
    }

    public Task<Page<OperationInfo>> ListAsync(OperationFilter filter, int pageSize, string? after)
    {
        var kept = _byId.Values.Where(filter.Keeps)
            .Select(o => (Key: OperationIndex.SortKey(o), Operation: o))
            .Where(e => after is null || string.CompareOrdinal(e.Key, after) > 0)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Take(pageSize + 1)
            .ToList();
        var items = kept.Take(pageSize).Select(e => e.Operation).ToImmutableArray();
        return Task.FromResult(new Page<OperationInfo>(items, kept.Count > pageSize ? kept[pageSize - 1].Key : "", items.Length));
    }

    /// <summary>A later form of the same operation: a state further on, or a later update at the same state.</summary>
    public static bool IsNewer(OperationInfo candidate, OperationInfo held) =>
        !held.IsTerminal && (candidate.State > held.State || (candidate.State == held.State && candidate.UpdateTime > held.UpdateTime));

    /// <summary>Keeps at most <paramref name="capacity"/>: the oldest finished go first, then the oldest unfinished.</summary>
    public static void Trim(Dictionary<string, OperationInfo> byId, int capacity)
    {
        if (byId.Count <= capacity) return;
        var dropped = byId.Values
            .OrderBy(o => o.IsTerminal ? 0 : 1)
            .ThenBy(o => o.CreateTime)
            .Take(byId.Count - capacity)
            .Select(o => o.Id)
            .ToList();
        foreach (var id in dropped) byId.Remove(id);
    }

    private async Task WriteIfChangedAsync()
    {
        if (!_dirty) return;
        state.State.Operations = [.. _byId.Values];
        _dirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation index {Key} could not be written when its activation went: its latest changes are lost")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string key);
}
