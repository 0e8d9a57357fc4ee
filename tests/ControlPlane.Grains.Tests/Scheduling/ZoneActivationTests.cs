using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Zones;
using ControlPlane.Grains.Servers;
using ControlPlane.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace ControlPlane.Grains.Tests.Scheduling;

/// <summary>A zone started again learns its servers from their stored states, read in one go, and places as before.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ZoneActivationTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task The_storage_reads_the_states_of_many_servers_at_once_and_leaves_out_those_never_written()
    {
        await _grains.TenantAsync("zone-batch", Provision.Quota(64), "multi");
        var created = await _grains.WaitAsync(await _grains.CreateAsync("zone-batch", "vm-1", "s4", "multi", "multi-b"));
        Assert.Equal(OperationState.Succeeded, created.State);
        var holder = _grains.GetGrain<IServerGrain>((await _grains.GetGrain<IZoneGrain>("multi-b").FindAsync(created.InstanceId))!.ServerId);
        var unknown = _grains.GetGrain<IServerGrain>("no-such-server-ever-written");

        var stored = await fixture.Silo.GetRequiredService<IGrainStateBatchReader>()
            .ReadAsync<ServerState>(ServerState.Name, [holder.GetGrainId(), unknown.GetGrainId()]);

        Assert.NotNull(stored);
        Assert.Contains(created.InstanceId, stored[holder.GetGrainId()].Allocations.Keys);
        Assert.False(stored.ContainsKey(unknown.GetGrainId()));
        Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(await _grains.DeleteAsync(created.InstanceId))).State);
    }

    [Fact]
    public async Task A_zone_started_again_knows_what_its_servers_hold_and_where_its_instances_are()
    {
        await _grains.TenantAsync("zone-restart", Provision.Quota(64), "multi");
        var zone = _grains.GetGrain<IZoneGrain>("multi-a");
        var initial = await zone.GetAsync();
        var created = new List<OperationInfo>();
        for (var i = 0; i < 3; i++) created.Add(await _grains.WaitAsync(await _grains.CreateAsync("zone-restart", $"vm-{i}", "s4", "multi", "multi-a")));
        Assert.All(created, o => Assert.Equal(OperationState.Succeeded, o.State));
        var before = await zone.GetAsync();
        var placed = await Task.WhenAll(created.Select(o => zone.FindAsync(o.InstanceId)));

        await zone.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var after = await zone.GetAsync();

        Assert.Equal((before.Free, before.InstanceCount), (after.Free, after.InstanceCount));
        Assert.Equal(placed, await Task.WhenAll(created.Select(o => zone.FindAsync(o.InstanceId))));
        // And it places on what is free: the next instance goes where the index says there is room, and succeeds.
        var next = await _grains.WaitAsync(await _grains.CreateAsync("zone-restart", "vm-next", "s4", "multi", "multi-a"));
        Assert.Equal(OperationState.Succeeded, next.State);
        Assert.Equal(after.InstanceCount + 1, (await zone.GetAsync()).InstanceCount);

        // The zone is shared with other tests (which count where their instances go): leave it as it was.
        foreach (var o in created.Append(next)) Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(await _grains.DeleteAsync(o.InstanceId))).State);
        Assert.Equal(initial.Free, (await zone.GetAsync()).Free);
    }

    [Fact]
    public async Task A_zone_started_again_leaves_the_servers_no_one_uses_inactive()
    {
        var zone = _grains.GetGrain<IZoneGrain>("multi-b");
        // Its servers that hold nothing: the zone's reconcile sweep leaves them alone too.
        var all = fixture.Silo.GetRequiredService<PlatformTopology>().FindZone("multi-b")!.Servers.Select(s => _grains.GetGrain<IServerGrain>(s.Id).GetGrainId()).ToList();
        var stored = await fixture.Silo.GetRequiredService<IGrainStateBatchReader>().ReadAsync<ServerState>(ServerState.Name, all);
        var servers = all.Where(id => stored!.GetValueOrDefault(id) is not { Allocations.Count: > 0 }).Select(id => id.Key.ToString()!).ToHashSet();
        Assert.NotEmpty(servers);
        var management = _grains.GetGrain<IManagementGrain>(0);
        var serverType = all[0].Type;
        async Task<string[]> ActiveServersAsync() =>
            [.. (await management.GetActiveGrains(serverType)).Select(g => g.Key.ToString()!).Where(servers.Contains)];
        await zone.GetAsync();

        // Every idle activation goes, the zone's and its servers' included, as when their silo died.
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.DoesNotContain(zone.GetGrainId(), await management.GetActiveGrains(zone.GetGrainId().Type));
        Assert.Empty(await ActiveServersAsync());
        Assert.True((await zone.GetAsync()).ServerCount > 0);

        // Its servers' stored states are read in one go; a grain activated only to be asked would bring nothing more.
        for (var look = 0; look < 20; look++)
        {
            Assert.Empty(await ActiveServersAsync());
            await Task.Delay(100);
        }
    }
}
