using System.Collections.Immutable;
using System.Globalization;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Events;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Grains.Events;

/// <summary>
/// The platform's event log. Several silos report the same membership change: the grain keeps each
/// ops centre's standing and records a transition only when it changes that standing, so a takeover
/// is recorded once, and a return only after a recorded takeover (a cluster starting up records nothing).
/// </summary>
public sealed partial class EventLogGrain(
    PlatformTopology topology,
    TimeProvider clock,
    ILogger<EventLogGrain> logger,
    [PersistentState("events", StorageNames.State)] IPersistentState<EventLogState> state) : Grain, IEventLogGrain
{
    public async Task<PlatformEvent?> ReportAsync(OpsCentreObservation observation)
    {
        var centre = observation.OpsCentre;
        // A silo of the centre is alive (the observer itself): the centre is not lost, whatever its view says.
        if (!observation.Present && observation.ObserverOpsCentre == centre) return null;
        var standing = state.State.Centres.GetValueOrDefault(centre);
        var takenOver = standing?.TakenOver ?? false;
        if (observation.Present != takenOver) return null;
        // A late report of what was true before the last transition.
        if (standing is not null && observation.ObservedAt < standing.Since) return null;

        var now = clock.GetUtcNow();
        var kind = observation.Present ? PlatformEventKind.OpsCentreReturn : PlatformEventKind.OpsCentreTakeover;
        var takers = observation.Present ? standing!.TakenOverBy
            : [.. observation.ActiveOpsCentres.Where(c => c != centre).Distinct().Order(StringComparer.Ordinal)];
        var regions = topology.Regions.Where(r => r.OpsCentre == centre).Select(r => r.Id).Order(StringComparer.Ordinal).ToArray();
        var delay = now > observation.ObservedAt ? now - observation.ObservedAt : TimeSpan.Zero;
        var recorded = new PlatformEvent(++state.State.LastSequence, now, kind, centre, takers, [.. regions],
            observation.ObservedBy, observation.ObservedAt, delay);

        state.State.Centres[centre] = new OpsCentreStanding(!observation.Present, observation.ObservedAt, takers);
        state.State.Events.Add(recorded);
        if (state.State.Events.Count > IEventLogGrain.Capacity) state.State.Events.RemoveRange(0, state.State.Events.Count - IEventLogGrain.Capacity);
        try
        {
            await state.PersistAsync(this);
        }
        catch
        {
            // Not recorded: forget it in memory too, so that the reporter's retry records it.
            DeactivateOnIdle();
            throw;
        }

        ControlPlaneTelemetry.OpsCentreTransitionDelay.Record(delay.TotalSeconds,
            new(ControlPlaneTelemetry.Tags.EventKind, kind.ToString()), new(ControlPlaneTelemetry.Tags.OpsCentre, centre));
        LogRecorded(logger, recorded.Sequence, kind, centre, string.Join(",", takers), string.Join(",", regions), observation.ObservedBy, delay.TotalMilliseconds);
        return recorded;
    }

    public Task<ImmutableDictionary<string, ImmutableArray<string>>> GetTakeoversAsync() =>
        Task.FromResult(state.State.Centres.Where(c => c.Value.TakenOver).ToImmutableDictionary(c => c.Key, c => c.Value.TakenOverBy));

    public Task<Page<PlatformEvent>> ListAsync(EventQuery query)
    {
        Validate.ThrowIfAny(("page_size", Validate.PageSize("page_size", query.PageSize)));
        long? after = null;
        if (PageToken.Parse(query.PageToken) is { } token)
        {
            after = long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence
                : throw DomainError.BadField(ErrorReasons.InvalidPageToken, "page_token", "page_token is not a token this API returned").ToException();
        }

        IEnumerable<PlatformEvent> events = state.State.Events;
        if (query.Kind is { } kind) events = events.Where(e => e.Kind == kind);
        if (query.Since is { } since) events = events.Where(e => e.Time >= since);
        var matching = query.OldestFirst ? events.ToList() : events.Reverse().ToList();
        var remaining = after is not { } a ? matching
            : matching.Where(e => query.OldestFirst ? e.Sequence > a : e.Sequence < a).ToList();
        var size = query.PageSize == 0 ? Validate.DefaultPageSize : query.PageSize;
        var items = remaining.Take(size).ToArray();
        var next = remaining.Count > items.Length && items.Length > 0 ? PageToken.For(items[^1].Sequence.ToString(CultureInfo.InvariantCulture)) : "";
        return Task.FromResult(new Page<PlatformEvent>([.. items], next, matching.Count));
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {Sequence}: {Kind} of ops centre {OpsCentre} (taken over by {TakenOverBy}; regions {Regions}), detected by {DetectedBy}, recorded {DelayMs:0} ms after detection")]
    private static partial void LogRecorded(ILogger logger, long sequence, PlatformEventKind kind, string opsCentre, string takenOverBy, string regions,
        string detectedBy, double delayMs);
}
