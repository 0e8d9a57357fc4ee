using System.Diagnostics;

namespace ControlPlane.Bench;

/// <summary>
/// Open-loop load at a fixed rate, with a bounded number of callers: call i is due at
/// start + i / rate, and the next free caller issues it then, whether or not earlier calls have
/// answered. A caller still busy with its previous call when the next one is due sends it late,
/// and that call's latency counts from when it was due, so a server that falls behind shows in the
/// latency instead of lowering the rate unseen (no coordinated omission); such calls are counted as
/// late (more than 1 ms). A caller that was idle sleeps until the call is due (timers wake it up to
/// a millisecond or two off) and its latency counts from when it sent: the timer's jitter is not the server's.
/// </summary>
public static class PacedLoad
{
    public static async Task<LoadResult> RunAsync(string method, BenchCall call, double rate, TimeSpan duration, int callers,
        UsageProbe probe, CancellationToken cancellationToken)
    {
        var recorder = new CallRecorder();
        var frequency = Stopwatch.Frequency;
        var millisecond = frequency / 1000;
        var total = (long)Math.Round(rate * duration.TotalSeconds);
        var next = -1L;
        var late = 0L;
        var usage = probe.Take();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * frequency);

        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
            {
                var due = start + (long)(i * (double)frequency / rate);
                var wait = due - Stopwatch.GetTimestamp();
                var idle = wait > 0;
                // Timers fire a millisecond or so late: wake a millisecond early, and send.
                if (wait > 2 * millisecond) await Task.Delay(TimeSpan.FromSeconds((double)(wait - millisecond) / frequency), cancellationToken);
                var sent = Stopwatch.GetTimestamp();
                if (!idle && sent - due > millisecond) Interlocked.Increment(ref late);
                var code = await Calls.InvokeAsync(call, caller, cancellationToken);
                var done = Stopwatch.GetTimestamp();
                recorder.Record(code, done - (idle ? sent : due), inWindow: done <= end);
            }
        }, cancellationToken)));
        return recorder.Result(method, $"paced, {callers} callers", duration, rate, late, probe.Since(usage));
    }
}
