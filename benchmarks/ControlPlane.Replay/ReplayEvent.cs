namespace ControlPlane.Replay;

/// <summary>One step of the replay: a pod arrives or leaves at a time of the trace.</summary>
public readonly record struct ReplayEvent(long Time, ReplayEventKind Kind, int Pod)
{
    /// <summary>
    /// Every pod's arrival at its creation time and departure at its deletion time, in time order;
    /// at one time, departures come before arrivals. A pod deleted no later than it was created
    /// (the trace has one) leaves right after its own arrival. Without <paramref name="departures"/>,
    /// nothing leaves: the cluster fills up.
    /// </summary>
    public static IReadOnlyList<ReplayEvent> Of(IReadOnlyList<TracePod> pods, bool departures = true)
    {
        var events = new List<ReplayEvent>(pods.Count * 2);
        for (var i = 0; i < pods.Count; i++)
        {
            var pod = pods[i];
            events.Add(new ReplayEvent(pod.CreationTime, ReplayEventKind.Arrival, i));
            if (!departures) continue;
            events.Add(pod.DeletionTime > pod.CreationTime
                ? new ReplayEvent(pod.DeletionTime, ReplayEventKind.Departure, i)
                : new ReplayEvent(pod.CreationTime, ReplayEventKind.DepartureAfterArrival, i));
        }
        events.Sort((a, b) => (a.Time, a.Kind, a.Pod).CompareTo((b.Time, b.Kind, b.Pod)));
        return events;
    }
}
