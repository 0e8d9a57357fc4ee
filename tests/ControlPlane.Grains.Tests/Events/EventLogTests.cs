using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Events;
using ControlPlane.Grains.Abstractions.Paging;

namespace ControlPlane.Grains.Tests.Events;

/// <summary>
/// The event log records each ops-centre transition once, whichever and however many silos report it
/// (test topology: rennes pilots "dr" and "drs", idf every other region).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EventLogTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddMinutes(-10);

    private IEventLogGrain Log(string key) => fixture.Grains.GetGrain<IEventLogGrain>(key);

    private static OpsCentreObservation Lost(string centre, string by, string byCentre, double atSeconds) =>
        new(centre, false, T0.AddSeconds(atSeconds), by, byCentre, [byCentre]);

    private static OpsCentreObservation Back(string centre, string by, string byCentre, double atSeconds) =>
        new(centre, true, T0.AddSeconds(atSeconds), by, byCentre, [byCentre, centre]);

    private static Task<Page<PlatformEvent>> AllAsync(IEventLogGrain log) => log.ListAsync(new EventQuery(null, null, true, 0, null));

    [Fact]
    public async Task A_takeover_seen_by_several_silos_is_recorded_once_and_so_is_its_return()
    {
        var log = Log("events-dedupe");
        var takeover = await log.ReportAsync(Lost("rennes", "silo-1", "idf", 1));
        Assert.Null(await log.ReportAsync(Lost("rennes", "silo-2", "idf", 1.2)));
        Assert.Null(await log.ReportAsync(Lost("rennes", "silo-1", "idf", 5)));
        var back = await log.ReportAsync(Back("rennes", "silo-2", "idf", 20));
        Assert.Null(await log.ReportAsync(Back("rennes", "silo-1", "idf", 20.1)));
        Assert.Null(await log.ReportAsync(Back("rennes", "silo-3", "rennes", 20.3)));

        Assert.NotNull(takeover);
        Assert.Equal((1L, PlatformEventKind.OpsCentreTakeover, "rennes", "silo-1"), (takeover.Sequence, takeover.Kind, takeover.OpsCentre, takeover.DetectedBy));
        Assert.Equal(["idf"], takeover.TakenOverBy.ToArray());
        Assert.Equal(["ch", "de", "dr", "drs", "sec"], takeover.Regions.ToArray());
        Assert.Equal(T0.AddSeconds(1), takeover.DetectedAt);
        Assert.Equal(takeover.Time - takeover.DetectedAt, takeover.Delay);
        Assert.NotNull(back);
        Assert.Equal((2L, PlatformEventKind.OpsCentreReturn, "rennes", "silo-2"), (back.Sequence, back.Kind, back.OpsCentre, back.DetectedBy));
        Assert.Equal(["idf"], back.TakenOverBy.ToArray());
        Assert.Equal(2, (await AllAsync(log)).TotalSize);

        // The same centre can be lost again afterwards: a new takeover.
        var again = await log.ReportAsync(Lost("rennes", "silo-2", "idf", 40));
        Assert.Equal((3L, PlatformEventKind.OpsCentreTakeover), (again!.Sequence, again.Kind));
    }

    [Fact]
    public async Task A_starting_cluster_records_nothing_and_a_silo_never_reports_its_own_centre_lost()
    {
        var log = Log("events-start");
        Assert.Null(await log.ReportAsync(Back("rennes", "silo-1", "idf", 1)));
        Assert.Null(await log.ReportAsync(Back("idf", "silo-3", "rennes", 1)));
        Assert.Null(await log.ReportAsync(Lost("idf", "silo-1", "idf", 2)));
        Assert.Equal(0, (await AllAsync(log)).TotalSize);
    }

    [Fact]
    public async Task A_late_report_from_before_the_last_transition_is_ignored()
    {
        var log = Log("events-late");
        Assert.NotNull(await log.ReportAsync(Lost("idf", "silo-3", "rennes", 10)));
        Assert.NotNull(await log.ReportAsync(Back("idf", "silo-3", "rennes", 30)));
        // Silo 1's view from before its centre came back, delivered late: not a second takeover.
        Assert.Null(await log.ReportAsync(Lost("idf", "silo-3", "rennes", 12)));
        var events = (await AllAsync(log)).Items;
        Assert.Equal([PlatformEventKind.OpsCentreTakeover, PlatformEventKind.OpsCentreReturn], events.Select(e => e.Kind));
        Assert.Equal(["aff", "cat", "drp", "live", "multi", "prod", "svc", "zr"], events[0].Regions.ToArray());
        Assert.Equal(["rennes"], events[0].TakenOverBy.ToArray());
    }

    [Fact]
    public async Task Events_are_listed_newest_first_by_default_filtered_and_paged()
    {
        var log = Log("events-list");
        for (var i = 0; i < 3; i++)
        {
            await log.ReportAsync(Lost("rennes", "silo-1", "idf", 10 * i));
            await log.ReportAsync(Back("rennes", "silo-1", "idf", 10 * i + 5));
        }

        var newest = await log.ListAsync(new EventQuery(null, null, false, 4, null));
        Assert.Equal([6L, 5, 4, 3], newest.Items.Select(e => e.Sequence));
        Assert.Equal(6, newest.TotalSize);
        var rest = await log.ListAsync(new EventQuery(null, null, false, 4, newest.NextPageToken));
        Assert.Equal([2L, 1], rest.Items.Select(e => e.Sequence));
        Assert.Equal("", rest.NextPageToken);

        var takeovers = await log.ListAsync(new EventQuery(PlatformEventKind.OpsCentreTakeover, null, true, 2, null));
        Assert.Equal([1L, 3], takeovers.Items.Select(e => e.Sequence));
        var more = await log.ListAsync(new EventQuery(PlatformEventKind.OpsCentreTakeover, null, true, 2, takeovers.NextPageToken));
        Assert.Equal([5L], more.Items.Select(e => e.Sequence));

        var sinceLast = await log.ListAsync(new EventQuery(null, newest.Items[0].Time, true, 0, null));
        Assert.Equal([6L], sinceLast.Items.Select(e => e.Sequence));

        var bad = await Assert.ThrowsAsync<ControlPlaneException>(() => log.ListAsync(new EventQuery(null, null, false, 0, "not-a-token")));
        Assert.Equal(ErrorReasons.InvalidPageToken, bad.Error.Reason);
    }
}
