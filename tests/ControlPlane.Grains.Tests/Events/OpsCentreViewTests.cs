using ControlPlane.Grains.Events;

namespace ControlPlane.Grains.Tests.Events;

/// <summary>What one silo reports of the ops centres it sees in cluster membership.</summary>
public sealed class OpsCentreViewTests
{
    [Fact]
    public void The_first_look_reports_the_centres_present_then_only_changes()
    {
        var view = new OpsCentreView("idf");
        Assert.Equal([("idf", true), ("rennes", true)], view.Update(["rennes", "idf"]));
        Assert.Empty(view.Update(["idf", "rennes"]));
        Assert.Equal([("rennes", false)], view.Update(["idf"]));
        Assert.Empty(view.Update(["idf"]));
        Assert.Equal([("rennes", true)], view.Update(["idf", "rennes"]));
    }

    [Fact]
    public void A_centre_never_seen_is_not_reported_lost_and_the_own_centre_never_is()
    {
        var view = new OpsCentreView("idf");
        Assert.Equal([("idf", true)], view.Update(["idf"]));
        Assert.Empty(view.Update(["idf"]));

        var alone = new OpsCentreView("rennes");
        Assert.Equal([("idf", true), ("rennes", true)], alone.Update(["idf", "rennes"]));
        Assert.Equal([("idf", false)], alone.Update([]));
    }

    [Fact]
    public void Silos_whose_centre_is_not_known_yet_are_left_out()
    {
        var view = new OpsCentreView("idf");
        Assert.Equal([("idf", true)], view.Update(["idf", ""]));
    }
}
