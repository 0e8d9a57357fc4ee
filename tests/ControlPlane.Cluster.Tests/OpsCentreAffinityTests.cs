using ControlPlane.Contracts.V1;

namespace ControlPlane.Cluster.Tests;

/// <summary>A region's grains live with the ops centre that pilots it, and move to the other centre when it is gone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OpsCentreAffinityTests(LocalCluster cluster)
{
    private const int DeadStatus = 6;

    private async Task<Dictionary<string, Zone>> ZonesAsync(int silo) =>
        (await cluster.Topology(silo).ListZonesAsync(new ListZonesRequest(), deadline: Calls.Deadline())).Zones.ToDictionary(z => z.Id);

    [Fact]
    public async Task Zones_are_served_by_their_piloting_centre_and_taken_over_when_it_is_gone()
    {
        var zones = await Calls.RetryAsync(1, ZonesAsync);
        Assert.All(["fr-centre-1", "fr-centre-2", "fr-centre-3"], id => Assert.Equal("idf", zones[id].ServedByOpsCentre));
        Assert.Equal("rennes", zones["fr-sud-1"].ServedByOpsCentre);

        // Rennes has a single silo: kill it, and France Sud is served from Île-de-France.
        var killedAt = DateTime.UtcNow;
        await cluster.KillAsync(3);
        try
        {
            // Failure detection: declared dead within 5 × the probe timeout (1 s).
            Assert.True(await Calls.EventuallyAsync(async () => await cluster.MembershipStatusAsync("silo-3-rennes") == DeadStatus, TimeSpan.FromSeconds(30)),
                "silo 3 was never declared dead");
            var detection = DateTime.UtcNow - killedAt;
            Console.WriteLine($"silo 3 (SIGKILL) declared dead after {detection.TotalSeconds:0.0} s");
            Assert.True(detection <= TimeSpan.FromSeconds(5), $"declared dead after {detection.TotalSeconds:0.0} s, more than 5 × the 1 s probe timeout");

            var takenOver = await Calls.EventuallyAsync(async () => (await ZonesAsync(1))["fr-sud-1"].ServedByOpsCentre == "idf", TimeSpan.FromSeconds(60));
            Assert.True(takenOver, "fr-sud-1 was not taken over by idf within 60 s\n" + cluster.Log(1));

            // And it still provisions there.
            await cluster.CreateTenantAsync("takeover", 16, "france-sud");
            var operation = await Calls.RetryAsync(1, silo => cluster.Provisioning(silo).CreateInstanceAsync(new CreateInstanceRequest
            {
                RequestId = "takeover-1", TenantId = "takeover", Name = "dr-vm", Size = "Standard_D2s_v5", Region = "france-sud",
            }, deadline: Calls.Deadline()).ResponseAsync);
            Assert.Equal(OperationState.Succeeded, (await cluster.WaitTerminalAsync(operation.Id, TimeSpan.FromSeconds(30))).State);
        }
        finally
        {
            await cluster.StartAsync(3);
        }
    }
}
