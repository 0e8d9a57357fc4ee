using ControlPlane.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Cluster.Tests;

/// <summary>
/// A region's grains live with the ops centre that pilots it, and move to the other centre when it is
/// gone; the takeover and the return are recorded once each in the event log, with their delays.
/// </summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class OpsCentreAffinityTests(LocalCluster cluster)
{
    private const int DeadStatus = 6;

    private async Task<Dictionary<string, Zone>> ZonesAsync(int silo) =>
        (await cluster.Topology(silo).ListZonesAsync(new ListZonesRequest(), deadline: Calls.Deadline())).Zones.ToDictionary(z => z.Id);

    /// <summary>Rennes' events recorded since <paramref name="since"/>, oldest first, through gateway 1 (an idf silo).</summary>
    private async Task<List<PlatformEvent>> RennesEventsAsync(DateTime since)
    {
        var response = await cluster.Events(1).ListEventsAsync(new ListEventsRequest
        {
            Since = Timestamp.FromDateTime(since), OldestFirst = true, PageSize = 1000,
        }, deadline: Calls.Deadline());
        return [.. response.Events.Where(e => e.OpsCentre == "rennes")];
    }

    [Fact]
    public async Task Zones_are_served_by_their_piloting_centre_and_taken_over_when_it_is_gone()
    {
        var zones = await Calls.RetryAsync(1, ZonesAsync);
        Assert.All(["fr-centre-1", "fr-centre-2", "fr-centre-3"], id => Assert.Equal("idf", zones[id].ServedByOpsCentre));
        Assert.Equal("rennes", zones["fr-sud-1"].ServedByOpsCentre);
        // An earlier test of the collection may have restarted silo 3 a moment ago: let its return be recorded first.
        var settled = await Calls.EventuallyAsync(async () => (await RennesEventsAsync(DateTime.UnixEpoch)).LastOrDefault()?.Kind != EventKind.OpsCentreTakeover,
            TimeSpan.FromSeconds(30));
        Assert.True(settled, "rennes is still recorded as taken over before the test kills it");

        // Rennes has a single silo: kill it, and France Sud is served from Île-de-France.
        var killedAt = DateTime.UtcNow;
        var restarted = false;
        await cluster.KillAsync(3);
        try
        {
            // Failure detection: declared dead within 5 s (probe timeout 1–8 s, starting at 2 s; two missed probes).
            Assert.True(await Calls.EventuallyAsync(async () => await cluster.MembershipStatusAsync("silo-3-rennes") == DeadStatus, TimeSpan.FromSeconds(30)),
                "silo 3 was never declared dead");
            var detection = DateTime.UtcNow - killedAt;
            Console.WriteLine($"silo 3 (SIGKILL) declared dead after {detection.TotalSeconds:0.0} s");
            Assert.True(detection <= TimeSpan.FromSeconds(5), $"declared dead after {detection.TotalSeconds:0.0} s, more than 5 s");

            // The takeover is recorded once, although both idf silos see it.
            Assert.True(await Calls.EventuallyAsync(async () => (await RennesEventsAsync(killedAt)).Count > 0, TimeSpan.FromSeconds(30)),
                "no takeover of rennes was recorded within 30 s of the kill\n" + cluster.Log(1));
            var takeover = Assert.Single(await RennesEventsAsync(killedAt));
            Assert.Equal(EventKind.OpsCentreTakeover, takeover.Kind);
            Assert.Equal(["idf"], takeover.TakenOverBy);
            Assert.Equal(["france-sud"], takeover.Regions);
            Assert.StartsWith("silo-", takeover.DetectedBy);
            var killToRecord = takeover.Time.ToDateTime() - killedAt;
            Console.WriteLine($"takeover of rennes by idf recorded {killToRecord.TotalSeconds:0.00} s after the kill; " +
                $"{takeover.Delay.ToTimeSpan().TotalMilliseconds:0} ms after {takeover.DetectedBy} saw silo 3 declared dead");
            Assert.True(killToRecord <= TimeSpan.FromSeconds(10), $"takeover recorded {killToRecord.TotalSeconds:0.0} s after the kill");
            Assert.True(takeover.Delay.ToTimeSpan() <= TimeSpan.FromSeconds(5), $"takeover recorded {takeover.Delay} after its detection");

            var takenOver = await Calls.EventuallyAsync(async () => (await ZonesAsync(1))["fr-sud-1"].ServedByOpsCentre == "idf", TimeSpan.FromSeconds(60));
            Assert.True(takenOver, "fr-sud-1 was not taken over by idf within 60 s\n" + cluster.Log(1));

            // And it still provisions there.
            await cluster.CreateTenantAsync("takeover", 16, "france-sud");
            var operation = await Calls.RetryAsync(1, silo => cluster.Provisioning(silo).CreateInstanceAsync(new CreateInstanceRequest
            {
                RequestId = "takeover-1", TenantId = "takeover", Name = "dr-vm", Size = "Standard_D2s_v5", Region = "france-sud",
            }, deadline: Calls.Deadline()).ResponseAsync);
            Assert.Equal(OperationState.Succeeded, (await cluster.WaitTerminalAsync(operation.Id, TimeSpan.FromSeconds(30))).State);

            // Rennes comes back: one return, after the takeover.
            var startedAt = DateTime.UtcNow;
            restarted = true;
            await cluster.StartAsync(3);
            var upAfter = DateTime.UtcNow - startedAt;
            Assert.True(await Calls.EventuallyAsync(async () => (await RennesEventsAsync(killedAt)).Count > 1, TimeSpan.FromSeconds(30)),
                "no return of rennes was recorded within 30 s of silo 3 starting\n" + cluster.Log(1));
            var events = await RennesEventsAsync(killedAt);
            Assert.Equal([EventKind.OpsCentreTakeover, EventKind.OpsCentreReturn], events.Select(e => e.Kind));
            var back = events[1];
            Assert.Equal(["idf"], back.TakenOverBy);
            Assert.Equal(["france-sud"], back.Regions);
            Assert.True(back.Sequence > takeover.Sequence);
            var startToRecord = back.Time.ToDateTime() - startedAt;
            Console.WriteLine($"return of rennes recorded {startToRecord.TotalSeconds:0.00} s after 'start 3' (silo up and healthy after {upAfter.TotalSeconds:0.00} s); " +
                $"{back.Delay.ToTimeSpan().TotalMilliseconds:0} ms after {back.DetectedBy} saw silo 3 active");
            Assert.True(back.Delay.ToTimeSpan() <= TimeSpan.FromSeconds(5), $"return recorded {back.Delay} after its detection");
            Assert.True(startToRecord <= TimeSpan.FromSeconds(60), $"return recorded {startToRecord.TotalSeconds:0.0} s after the start");
        }
        finally
        {
            if (!restarted) await cluster.StartAsync(3);
        }
    }
}
