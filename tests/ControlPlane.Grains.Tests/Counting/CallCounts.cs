using System.Collections.Concurrent;

namespace ControlPlane.Grains.Tests.Counting;

/// <summary>
/// What one request costs inside the silo: the grain calls and the storage writes made on its behalf. A test opens a
/// scope (<see cref="Begin"/>); its id travels in the request context with every call the request leads to, and
/// <see cref="CountingCallFilter"/> and <see cref="CountingGrainStorage"/> count what carries it. Nothing else running
/// in the silo at the same time (timers, reminders, other tests) is counted.
/// </summary>
public static class CallCounts
{
    public const string Key = "cp-test-count";

    private static readonly ConcurrentDictionary<string, Tally> Tallies = new(StringComparer.Ordinal);

    /// <summary>Counts, until disposed, what the calls made on this async flow lead to.</summary>
    public static Tally Begin()
    {
        var tally = new Tally(Guid.NewGuid().ToString("N"));
        Tallies[tally.Id] = tally;
        RequestContext.Set(Key, tally.Id);
        return tally;
    }

    /// <summary>The tally of the request being served on this flow, if it is counted.</summary>
    public static Tally? Current => RequestContext.Get(Key) is string id && Tallies.TryGetValue(id, out var tally) ? tally : null;

    public sealed class Tally(string id) : IDisposable
    {
        private readonly ConcurrentQueue<string> _calls = new();
        private readonly ConcurrentQueue<string> _writes = new();
        private (string[] Calls, string[] Writes)? _answered;

        public string Id => id;

        /// <summary>Grain calls (interface/method), in the order they began.</summary>
        public string[] Calls => [.. _calls];

        /// <summary>Storage writes and clears (state name), in order.</summary>
        public string[] Writes => [.. _writes];

        /// <summary>The calls and writes made before the first counted request was answered (null until it was).</summary>
        public (string[] Calls, string[] Writes) BeforeAnswer => _answered ?? throw new InvalidOperationException("the request has not been answered");

        public void Call(string name) => _calls.Enqueue(name);

        public void Write(string stateName) => _writes.Enqueue(stateName);

        /// <summary>Taken inside the answering grain's turn, before anything it started afterwards can run.</summary>
        public void Answered()
        {
            lock (_calls) _answered ??= (Calls, Writes);
        }

        public void Dispose()
        {
            Tallies.TryRemove(id, out _);
            RequestContext.Remove(Key);
        }
    }
}
