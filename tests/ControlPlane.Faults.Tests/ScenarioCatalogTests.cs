using ControlPlane.Faults.Scenarios;

namespace ControlPlane.Faults.Tests;

public sealed class ScenarioCatalogTests
{
    [Fact]
    public void The_sets_short_and_all_can_be_named_in_a_list()
    {
        var names = ScenarioCatalog.Select("short,kill-every-15").Select(s => s.Name).ToList();

        Assert.Equal([.. ScenarioCatalog.Short, "kill-every-15"], names);
        Assert.Equal(ScenarioCatalog.All.Count, ScenarioCatalog.Select("all").Count);
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ScenarioCatalog.Select("kill,kil"));

        Assert.Contains("'kil'", e.Message);
        Assert.Contains("kill-every-30", e.Message);
    }
}
