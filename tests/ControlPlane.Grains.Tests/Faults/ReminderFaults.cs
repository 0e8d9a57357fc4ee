using System.Collections.Concurrent;

namespace ControlPlane.Grains.Tests.Faults;

/// <summary>Reminder registrations a test makes fail (see <see cref="FaultyReminderTable"/>), as when the reminder's silo is unavailable.</summary>
public sealed class ReminderFaults
{
    private readonly ConcurrentDictionary<GrainId, int> _failing = new();

    /// <summary>Fails the next <paramref name="times"/> registrations of a reminder of <paramref name="grainId"/>.</summary>
    public void FailRegistrations(GrainId grainId, int times = 1) => _failing[grainId] = times;

    public void OnUpsert(GrainId grainId)
    {
        if (_failing.TryGetValue(grainId, out var left) && left > 0 && _failing.TryUpdate(grainId, left - 1, left))
        {
            throw new OrleansException($"the reminder service of {grainId} is unavailable (test)");
        }
    }
}
