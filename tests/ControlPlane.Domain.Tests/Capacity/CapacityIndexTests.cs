using ControlPlane.Domain.Capacity;
using ControlPlane.Domain.Topology;

namespace ControlPlane.Domain.Tests.Capacity;

public sealed class CapacityIndexTests
{
    private static CapacityIndex Index() => new(TestTopology.Create().FindZone("prod-b")!.Servers);

    private static ServerSpec Server(string id, long cores, long memoryGib, long gpus = 0, string gpuModel = "") =>
        new(id, "z", "r", "dc", "rack", gpus > 0 ? "gpu" : "general", gpuModel, new ResourceAmount(cores, memoryGib * 1024, gpus));

    [Fact]
    public void Best_fit_picks_the_fullest_server_that_still_fits()
    {
        var index = Index();
        var cpu = index.Servers.Where(s => s.GpuModel == "").Select(s => s.Id).ToArray();
        index.Update(cpu[1], new ResourceAmount(6, 60_000, 0), ["i-1", "i-2"]);

        Assert.Equal(cpu[1], index.Choose(new ResourceAmount(4, 4096, 0), ""));
        Assert.Equal(cpu[0], index.Choose(new ResourceAmount(8, 4096, 0), ""));
    }

    [Fact]
    public void Gpu_servers_take_cpu_work_only_when_nothing_else_fits()
    {
        var index = Index();
        foreach (var s in index.Servers.Where(s => s.GpuModel == "")) index.Update(s.Id, ResourceAmount.Zero, [$"i-{s.Id}"]);

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
        index.Update(a, index.Servers[0].Capacity, ["i-1", "i-2"]);

        index.Update(a, index.Servers[0].Capacity, ["i-2"]);
        index.Update(b, index.Servers[1].Capacity, ["i-1"]);

        Assert.Equal((b, a), (index.ServerOf("i-1"), index.ServerOf("i-2")));
        Assert.Equal(2, index.InstanceCount);
        index.Update(a, index.Servers[0].Capacity, []);
        Assert.Null(index.ServerOf("i-2"));
    }

    [Fact]
    public void Totals_follow_updates()
    {
        var index = Index();
        var id = index.Servers[0].Id;

        index.Update(id, index.Servers[0].Capacity - new ResourceAmount(4, 1024, 0), ["i-1"]);

        Assert.Equal(index.Total - new ResourceAmount(4, 1024, 0), index.Free);
        Assert.Equal(1, index.InstanceCount);
        Assert.Equal(id, index.ServerOf("i-1"));
        Assert.Equal(index.Servers.Count(s => s.Capacity.Covers(new ResourceAmount(16, 0, 0))) - 1,
            index.Servers.Count(s => index.At(index.Servers.ToList().IndexOf(s)).Free.Covers(new ResourceAmount(16, 0, 0))));
    }

    [Fact]
    public void Servers_in_use_are_filled_before_an_empty_server_is_opened()
    {
        // The small empty server would be the tighter fit; the large one already holds an instance.
        var index = new CapacityIndex([Server("a-large", 64, 256), Server("b-small", 8, 32)]);
        index.Update("a-large", new ResourceAmount(32, 128 * 1024, 0), ["i-1"]);

        Assert.Equal("a-large", index.Choose(new ResourceAmount(6, 24 * 1024, 0), ""));
    }

    [Fact]
    public void The_server_opened_is_the_one_that_holds_most_requests_of_that_shape()
    {
        var index = new CapacityIndex([Server("a-two-gpus", 16, 120, 2, "V100"), Server("b-eight-gpus", 96, 384, 8, "V100")]);

        Assert.Equal("b-eight-gpus", index.Choose(new ResourceAmount(12, 16 * 1024, 1), "V100"));
    }

    [Fact]
    public void Memory_heavy_requests_open_memory_optimised_servers_and_other_requests_keep_off_them()
    {
        var index = new CapacityIndex([Server("a-general", 64, 256), Server("b-memory", 64, 1024)]);

        Assert.Equal("b-memory", index.Choose(new ResourceAmount(4, 64 * 1024, 0), ""));
        Assert.Equal("a-general", index.Choose(new ResourceAmount(4, 16 * 1024, 0), ""));
    }

    [Fact]
    public void Best_fit_among_servers_in_use_counts_their_free_gpus()
    {
        var index = new CapacityIndex([Server("a", 32, 128, 4, "L4"), Server("b", 32, 128, 4, "L4")]);
        index.Update("a", new ResourceAmount(16, 64 * 1024, 3), ["i-1"]);
        index.Update("b", new ResourceAmount(16, 64 * 1024, 1), ["i-2"]);

        Assert.Equal("b", index.Choose(new ResourceAmount(4, 8 * 1024, 1), "L4"));
    }
}
