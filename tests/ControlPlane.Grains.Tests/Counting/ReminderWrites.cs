using System.Collections.Concurrent;

namespace ControlPlane.Grains.Tests.Counting;

/// <summary>The grains whose reminders were written (registered or removed) in the silo's reminder table (see <see cref="CountingReminderTable"/>).</summary>
public sealed class ReminderWrites
{
    private readonly ConcurrentDictionary<GrainId, int> _writes = new();

    /// <summary>How many times a reminder of <paramref name="grainId"/> was registered or removed.</summary>
    public int Of(GrainId grainId) => _writes.GetValueOrDefault(grainId);

    public void Note(GrainId grainId) => _writes.AddOrUpdate(grainId, 1, (_, n) => n + 1);
}
