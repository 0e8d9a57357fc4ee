using System.Collections.Immutable;
using ControlPlane.Grains.Abstractions.Paging;
using Orleans.Concurrency;

namespace ControlPlane.Grains.Abstractions.Events;

/// <summary>
/// The platform's append-only event log (key <see cref="Key"/>), until an audit log exists: ops-centre
/// takeovers and returns. Every silo reports what it sees; each transition is recorded once.
/// </summary>
public interface IEventLogGrain : IGrainWithStringKey
{
    const string Key = "platform";

    /// <summary>The newest events kept; older ones are dropped, their sequence numbers never reused.</summary>
    const int Capacity = 10_000;

    /// <summary>
    /// Records a takeover when <paramref name="observation"/> is the first to see a centre gone, a
    /// return when it is the first to see a taken-over centre back; null when it changes nothing
    /// (already known, older than the last transition, or a centre reported lost by its own silo).
    /// </summary>
    Task<PlatformEvent?> ReportAsync(OpsCentreObservation observation);

    /// <summary>The centres taken over now, each with the centres that took it over.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<ImmutableDictionary<string, ImmutableArray<string>>> GetTakeoversAsync();

    /// <summary>One page of events (page_token: the sequence number to continue after, opaque).</summary>
    Task<Page<PlatformEvent>> ListAsync(EventQuery query);
}
