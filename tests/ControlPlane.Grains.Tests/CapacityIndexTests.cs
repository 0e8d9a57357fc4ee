using ControlPlane.Model;
using ControlPlane.Scheduling;
using ControlPlane.Topology;

namespace ControlPlane.Grains.Tests;

public sealed class CapacityIndexTests
{
    private static CapacityIndex Index() => new(TestTopology.Create().FindZone("prod-b")!.Servers);

    [Fact]
    public void Best_fit_picks_the_fullest_server_that_still_fits()
    {
        var index = Index();
        var cpu = index.Servers.Where(s => s.GpuModel == "").Select(s => s.Id).ToArray();
        index.Update(cpu[1], new ServerUsage(new ResourceAmount(6, 60_000, 0), ["i-1", "i-2"]));

        Assert.Equal(cpu[1], index.Choose(new ResourceAmount(4, 4096, 0), ""));
        Assert.Equal(cpu[0], index.Choose(new ResourceAmount(8, 4096, 0), ""));
    }

    [Fact]
    public void Gpu_servers_take_cpu_work_only_when_nothing_else_fits()
    {
        var index = Index();
        foreach (var s in index.Servers.Where(s => s.GpuModel == "")) index.Update(s.Id, new ServerUsage(ResourceAmount.Zero, [$"i-{s.Id}"]));

        var chosen = index.Choose(new ResourceAmount(4, 4096, 0), "");

        Assert.Equal("L4", index.Servers.Single(s => s.Id == chosen).GpuModel);
    }

    [Fact]
    public void Gpu_model_and_every_dimension_must_fit()
    {
        var index = Index();

        Assert.Null(index.Choose(new ResourceAmount(1, 1, 1), "H100"));
        Assert.Null(index.Choose(new ResourceAmount(17, 1, 0), ""));
        Assert.Null(index.Choose(new ResourceAmount(1, 65 * 1024, 0), ""));
        Assert.Null(index.Choose(new ResourceAmount(1, 1, 3), "L4"));
        Assert.NotNull(index.Choose(new ResourceAmount(1, 1, 2), "L4"));
    }

    [Fact]
    public void An_instance_that_moves_or_goes_is_forgotten_by_its_old_server()
    {
        var index = Index();
        var (a, b) = (index.Servers[0].Id, index.Servers[1].Id);
        index.Update(a, new ServerUsage(index.Servers[0].Capacity, ["i-1", "i-2"]));

        index.Update(a, new ServerUsage(index.Servers[0].Capacity, ["i-2"]));
        index.Update(b, new ServerUsage(index.Servers[1].Capacity, ["i-1"]));

        Assert.Equal((b, a), (index.ServerOf("i-1"), index.ServerOf("i-2")));
        Assert.Equal(2, index.InstanceCount);
        index.Update(a, new ServerUsage(index.Servers[0].Capacity, []));
        Assert.Null(index.ServerOf("i-2"));
    }

    [Fact]
    public void Totals_follow_updates()
    {
        var index = Index();
        var id = index.Servers[0].Id;

        index.Update(id, new ServerUsage(index.Servers[0].Capacity - new ResourceAmount(4, 1024, 0), ["i-1"]));

        Assert.Equal(index.Total - new ResourceAmount(4, 1024, 0), index.Free);
        Assert.Equal(1, index.InstanceCount);
        Assert.Equal(id, index.ServerOf("i-1"));
        Assert.Equal(index.Servers.Count(s => s.Capacity.Covers(new ResourceAmount(16, 0, 0))) - 1,
            index.Servers.Count(s => index.Summary(index.Servers.ToList().IndexOf(s)).Free.Covers(new ResourceAmount(16, 0, 0))));
    }
}
