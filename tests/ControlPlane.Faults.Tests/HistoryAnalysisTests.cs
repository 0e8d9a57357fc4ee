using ControlPlane.Faults.Analysis;
using ControlPlane.Faults.Load;
using static ControlPlane.Faults.Tests.Histories;

namespace ControlPlane.Faults.Tests;

public sealed class HistoryAnalysisTests
{
    [Fact]
    public void The_longest_gap_is_the_longest_span_between_acknowledgements()
    {
        RequestRecord[] requests = [Acked("a", 0, 1), Acked("b", 1, 2), Acked("c", 2, 9.5), Acked("d", 9, 10)];

        var gap = HistoryAnalysis.LongestGap(requests);

        Assert.Equal(At(2), gap.From);
        Assert.Equal(At(9.5), gap.To);
        Assert.Equal(TimeSpan.FromSeconds(7.5), gap.Length);
    }

    [Fact]
    public void Requests_never_acknowledged_widen_the_gap_to_the_end_of_the_history()
    {
        RequestRecord[] requests = [Acked("a", 0, 1), Failed("b", 2, "UNAVAILABLE", attempts: 20)];

        // "b" was tried until its 20th attempt ended at 21.5 s: from 1 s on, the client saw nothing acknowledged.
        Assert.Equal(TimeSpan.FromSeconds(20.5), HistoryAnalysis.LongestGap(requests).Length);
        Assert.Equal(TimeSpan.FromSeconds(1), HistoryAnalysis.LongestGap([Acked("a", 0, 1), Acked("b", 1, 2)]).Length);
    }

    [Fact]
    public void A_fault_window_is_the_longest_gap_overlapping_the_fault_not_an_earlier_one()
    {
        RequestRecord[] requests = [Acked("a", 0, 1), Acked("b", 1, 12), Acked("c", 12, 13), Acked("d", 13, 18), Acked("e", 18, 19)];
        var fault = new FaultEvent("kill -9 silo 2", At(14), At(14));

        var window = HistoryAnalysis.FaultWindow(requests, fault);

        Assert.Equal(TimeSpan.FromSeconds(5), window.Length); // 13 → 18, not the 11 s gap before the fault
    }

    [Fact]
    public void A_gap_beginning_after_a_fault_within_its_reach_is_the_faults()
    {
        RequestRecord[] requests = [Acked("a", 0, 1), Acked("b", 1, 20), Acked("c", 20, 40)];

        Assert.Equal(TimeSpan.FromSeconds(20), HistoryAnalysis.FaultWindow(requests, new FaultEvent("pg", At(0), At(0.5))).Length);
        Assert.Equal(TimeSpan.Zero, HistoryAnalysis.FaultWindow([], new FaultEvent("pg", At(0), At(0.5))).Length);
    }

    [Fact]
    public void Status_counts_count_every_attempt()
    {
        RequestRecord[] requests = [Acked("a", 0, 1), Failed("b", 0, "UNAVAILABLE", attempts: 3), Failed("c", 0, "INTERNAL")];

        var counts = HistoryAnalysis.StatusCounts(requests);

        Assert.Equal(new Dictionary<string, int> { ["INTERNAL"] = 1, ["OK"] = 1, ["UNAVAILABLE"] = 3 }, counts);
    }

    [Fact]
    public void The_share_acknowledged_within_a_bound_counts_slow_and_unanswered_requests_against_it()
    {
        RequestRecord[] requests = [Acked("a", 0, 1), Acked("b", 0, 15), Acked("c", 0, 16), Failed("d", 0, "UNAVAILABLE")];

        Assert.Equal(0.5, HistoryAnalysis.AcknowledgedWithin(requests, TimeSpan.FromSeconds(15)));
        Assert.Equal(1, HistoryAnalysis.AcknowledgedWithin([], TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public void Restart_to_serving_is_the_first_acknowledgement_by_that_silos_gateway_of_an_attempt_sent_after_the_start()
    {
        RequestRecord[] requests =
        [
            Acked("before", 9, 11, gateway: 1),   // sent before the restart: does not count
            Acked("other", 12, 12.5, gateway: 0), // another gateway
            Acked("first", 13, 14, gateway: 1),
            Acked("later", 15, 15.2, gateway: 1),
        ];

        Assert.Equal(TimeSpan.FromSeconds(4), HistoryAnalysis.RestartToServing(requests, new SiloRestart(2, At(10), "found down")));
        Assert.Null(HistoryAnalysis.RestartToServing(requests, new SiloRestart(3, At(10), "found down")));
    }

    [Fact]
    public async Task A_history_written_as_json_lines_reads_back_the_same()
    {
        var path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.jsonl");
        try
        {
            var history = new History([Acked("a", 0, 1), Failed("b", 2, "UNAVAILABLE", attempts: 2)]);
            await history.WriteAsync(path, CancellationToken.None);

            var lines = await File.ReadAllLinesAsync(path);
            var read = History.Read(path);

            Assert.Equal(2, lines.Length);
            Assert.Contains("\"request_id\":\"a\"", lines[0]);
            Assert.Equal(["a", "b"], read.Select(r => r.RequestId));
            Assert.Equal(RequestKind.Create, read[0].Kind);
            Assert.True(read[0].Acknowledged);
            Assert.Equal(2, read[1].Attempts.Count);
            Assert.Equal("SOME_REASON", read[1].Attempts[0].Reason);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
