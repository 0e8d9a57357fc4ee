using ControlPlane.Contracts.V1;

namespace ControlPlane.Cluster.Tests;

/// <summary>Each silo records the methods its start compiled in a profile of its own, which its next start replays (multicore JIT).</summary>
[Collection(ClusterCollection.Name), Trait("Category", "Cluster")]
public sealed class StartupJitProfileTests(LocalCluster cluster)
{
    [Fact]
    public async Task Each_silo_writes_its_own_JIT_profile_and_writes_it_again_after_a_restart()
    {
        var silos = Enumerable.Range(1, LocalCluster.Silos).ToList();
        Assert.True(await Calls.EventuallyAsync(() => Task.FromResult(silos.All(s => File.Exists(cluster.JitProfile(s)))), TimeSpan.FromSeconds(60)),
            string.Join('\n', silos.Select(s => $"silo {s}: {cluster.JitProfile(s)} {(File.Exists(cluster.JitProfile(s)) ? "exists" : "missing")}")));
        Assert.All(silos, s => Assert.True(new FileInfo(cluster.JitProfile(s)).Length > 10_000,
            $"silo {s}'s profile holds {new FileInfo(cluster.JitProfile(s)).Length} bytes"));

        // A silo started again replays its profile and records it anew when its gateway opens.
        const int silo = 3;
        await cluster.StopAsync(silo);
        var restarted = DateTime.UtcNow;
        await cluster.StartAsync(silo);
        var regions = await cluster.Topology(silo).ListRegionsAsync(new ListRegionsRequest(), deadline: Calls.Deadline()).ResponseAsync;
        Assert.NotEmpty(regions.Regions);
        Assert.True(await Calls.EventuallyAsync(() => Task.FromResult(File.GetLastWriteTimeUtc(cluster.JitProfile(silo)) > restarted), TimeSpan.FromSeconds(45)),
            $"silo {silo}'s profile was last written at {File.GetLastWriteTimeUtc(cluster.JitProfile(silo)):HH:mm:ss.fff}, before its start at {restarted:HH:mm:ss.fff}; its log:\n{cluster.Log(silo)}");
        Assert.True(new FileInfo(cluster.JitProfile(silo)).Length > 10_000);
    }
}
