using System.Diagnostics;

namespace ControlPlane.IntegrationTests;

/// <summary>Waits for a condition observed through the API, polling; fails with the last observation when time runs out.</summary>
public static class Eventually
{
    public static async Task<TimeSpan> HoldsAsync(Func<Task<(bool Holds, string Observed)>> check, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var observed = "";
        while (clock.Elapsed < within)
        {
            bool holds;
            (holds, observed) = await check();
            if (holds) return clock.Elapsed;
            await Task.Delay(50);
        }
        Assert.Fail($"not within {within.TotalSeconds} s; last seen: {observed}");
        return clock.Elapsed;
    }
}
