using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Servers;
using ControlPlane.Grains.Abstractions.Tenants;
using ControlPlane.Grains.Abstractions.Zones;

namespace ControlPlane.Grains.Tests.Scheduling;

[Collection(ClusterCollection.Name)]
public sealed class PlacementTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Two_hundred_concurrent_creates_never_overcommit_a_zone()
    {
        // prod-a: 4 servers × 16 cores = room for exactly 16 instances of 4 cores.
        await _grains.TenantAsync("place-burst", Provision.Quota(10_000), "prod");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            try
            {
                return (Operation: await _grains.CreateAsync("place-burst", $"vm-{i}", "s4", "prod", "prod-a"), Error: (DomainError?)null);
            }
            catch (ControlPlaneException e)
            {
                return (Operation: (OperationInfo?)null, Error: e.Error);
            }
        }));

        var accepted = attempts.Where(a => a.Operation is not null).Select(a => a.Operation!).ToList();
        var refused = attempts.Where(a => a.Error is not null).Select(a => a.Error!).ToList();
        Assert.Equal(16, accepted.Count);
        Assert.Equal(184, refused.Count);
        Assert.All(refused, e => Assert.Equal((ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity), (e.Code, e.Reason)));
        foreach (var operation in accepted)
        {
            Assert.Equal(OperationState.Succeeded, (await _grains.WaitAsync(operation)).State);
        }

        var zone = await _grains.GetGrain<IZoneGrain>("prod-a").GetAsync();
        Assert.Equal(ResourceAmount.Zero with { MemoryMib = zone.Total.MemoryMib - 16 * 4096 }, zone.Free);
        var servers = await _grains.GetGrain<IZoneGrain>("prod-a").ListServersAsync(0, null);
        foreach (var summary in servers.Items)
        {
            var server = await _grains.GetGrain<IServerGrain>(summary.Id).GetAsync();
            Assert.True(server.Capacity.Covers(server.Allocated), $"{server.Id} is overcommitted: {server.Allocated} > {server.Capacity}");
            Assert.Equal(server.Free, summary.Free);
        }
        var tenant = await _grains.GetGrain<ITenantGrain>("place-burst").GetAsync();
        Assert.Equal(new ResourceAmount(64, 16 * 4096, 0), tenant.Usage);

        // Deleting everything gives the whole zone back.
        foreach (var operation in accepted)
        {
            await _grains.WaitAsync(await _grains.DeleteAsync(operation.InstanceId));
        }
        zone = await _grains.GetGrain<IZoneGrain>("prod-a").GetAsync();
        Assert.Equal(zone.Total, zone.Free);
        Assert.Equal(0, zone.InstanceCount);
    }

    [Fact]
    public async Task Gpu_sizes_land_only_on_servers_with_their_gpu_model()
    {
        await _grains.TenantAsync("place-gpu", Provision.Quota(64), "prod");

        var l4 = await _grains.WaitAsync(await _grains.CreateAsync("place-gpu", "gpu-1", "g1", "prod", "prod-b"));
        var instance = await _grains.InstanceAsync(l4.InstanceId);
        var server = await _grains.GetGrain<IServerGrain>(instance.ServerId).GetAsync();
        Assert.Equal("L4", server.GpuModel);

        var error = await Provision.FailsAsync(() => _grains.CreateAsync("place-gpu", "gpu-2", "h1", "prod"), ErrorStatus.ResourceExhausted, ErrorReasons.NoCapacity);
        Assert.True(error.Metadata.ContainsKey("zone.prod-a"));
        Assert.True(error.Metadata.ContainsKey("zone.prod-b"));
        // Numbers in their own keys beside the prose: what was asked, and what the zones tried have free in all.
        var zones = await Task.WhenAll(new[] { "prod-a", "prod-b" }.Select(z => _grains.GetGrain<IZoneGrain>(z).GetAsync()));
        Assert.True(long.Parse(error.Metadata["requested_gpus"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(long.Parse(error.Metadata["requested_cores"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(zones.Sum(z => z.Free.Cores).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Metadata["available_cores"]);
        Assert.Equal(zones.Sum(z => z.Free.Gpus).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Metadata["available_gpus"]);
    }

    [Fact]
    public async Task Cpu_sizes_keep_off_gpu_servers_while_others_have_room()
    {
        await _grains.TenantAsync("place-cpu", Provision.Quota(64), "prod");

        var operation = await _grains.WaitAsync(await _grains.CreateAsync("place-cpu", "cpu-1", "s4", "prod", "prod-b"));
        var instance = await _grains.InstanceAsync(operation.InstanceId);
        Assert.Equal("", (await _grains.GetGrain<IServerGrain>(instance.ServerId).GetAsync()).GpuModel);
    }

    [Fact]
    public async Task Without_a_zone_instances_spread_over_the_region()
    {
        await _grains.TenantAsync("place-spread", Provision.Quota(64), "multi");

        var zones = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var operation = await _grains.WaitAsync(await _grains.CreateAsync("place-spread", $"vm-{i}", "s8", "multi"));
            zones.Add((await _grains.InstanceAsync(operation.InstanceId)).Zone);
        }

        Assert.Equal(2, zones.Count(z => z == "multi-a"));
        Assert.Equal(2, zones.Count(z => z == "multi-b"));
    }
}
