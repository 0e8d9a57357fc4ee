using Grpc.Core;

namespace ControlPlane.Bench.Tests;

/// <summary>The load generators' bookkeeping, with calls that answer at once (no timing is asserted).</summary>
public sealed class LoadTests
{
    private static readonly UsageProbe Probe = new([]);

    [Fact]
    public async Task A_closed_loop_stops_after_its_calls_and_counts_errors_by_status()
    {
        var made = 0;
        Task Call(int slot, CancellationToken ct) =>
            Interlocked.Increment(ref made) % 10 == 0 ? throw new RpcException(new Status(StatusCode.Unavailable, "down")) : Task.CompletedTask;

        var result = await ClosedLoop.RunAsync("Fake", Call, workers: 4, TimeSpan.FromMinutes(1), Probe, CancellationToken.None, maxCalls: 100);

        Assert.Equal(100, made);
        Assert.Equal(90, result.Succeeded);
        Assert.Equal(new Dictionary<StatusCode, int> { [StatusCode.Unavailable] = 10 }, result.Errors);
        Assert.Equal("closed, 4 workers", result.Load);
    }

    [Fact]
    public void A_recorder_counts_in_the_window_only_successes_that_ended_in_it()
    {
        var recorder = new CallRecorder();
        recorder.Record(StatusCode.OK, 10, inWindow: true);
        recorder.Record(StatusCode.OK, 30, inWindow: false);
        recorder.Record(StatusCode.ResourceExhausted, 5, inWindow: true);

        var result = recorder.Result("Fake", "paced", TimeSpan.FromSeconds(1), 2, 0, ResourceUse.None);

        Assert.Equal(1, result.Succeeded);
        Assert.Equal(1, result.ErrorCount);
        Assert.False(result.Sustained);
        Assert.Equal("RESOURCE_EXHAUSTED 1", Report.Errors(result));
    }

    [Fact]
    public void Verdicts_say_by_how_much_a_target_is_missed()
    {
        Assert.Equal("MET", Verdict.AtLeast(0.3, 0.25));
        Assert.Equal("NOT MET (0.40 of the target, 60 % short)", Verdict.AtLeast(0.1, 0.25));
        Assert.Equal("MET", Verdict.AtMost(4, 5));
        Assert.Equal("NOT MET (2.00 × the target, 100 % over)", Verdict.AtMost(10, 5));
    }
}
