using System.Diagnostics;

namespace ControlPlane.Bench;

/// <summary>
/// Closed-loop load: each worker issues one call, waits for its answer, and issues the next. Only the
/// calls that end within the window count; those still in flight when it closes are awaited, not counted.
/// </summary>
public static class ClosedLoop
{
    /// <param name="maxCalls">Stop after this many calls in all, even before the window closes.</param>
    public static async Task<LoadResult> RunAsync(string method, BenchCall call, int workers, TimeSpan duration, UsageProbe probe,
        CancellationToken cancellationToken, long maxCalls = long.MaxValue)
    {
        var recorder = new CallRecorder();
        var issued = 0L;
        var usage = probe.Take();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end && Interlocked.Increment(ref issued) <= maxCalls)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sent = Stopwatch.GetTimestamp();
                var code = await Calls.InvokeAsync(call, worker, cancellationToken);
                var done = Stopwatch.GetTimestamp();
                if (done <= end) recorder.Record(code, done - sent, inWindow: true);
            }
        }, cancellationToken)));
        // A phase ended by maxCalls is measured over the time it took.
        var elapsed = Stopwatch.GetElapsedTime(start);
        var window = elapsed < duration ? elapsed : duration;
        return recorder.Result(method, $"closed, {workers} workers", window, null, 0, probe.Since(usage));
    }
}
