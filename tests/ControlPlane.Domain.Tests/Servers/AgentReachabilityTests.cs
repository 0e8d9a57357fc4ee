using ControlPlane.Domain.Servers;

namespace ControlPlane.Domain.Tests.Servers;

/// <summary>What the control plane remembers of a server's agent, without a cluster.</summary>
public sealed class AgentReachabilityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_agent_is_taken_as_reachable_until_a_call_fails()
    {
        Assert.Equal(new AgentReachability(true, null, null, ""), AgentReachability.Unknown);
        Assert.False(AgentReachability.Unknown.SilentFor(TimeSpan.Zero, T0));
    }

    [Fact]
    public void Silence_is_counted_from_the_first_failed_call_and_ends_with_an_answer()
    {
        var answered = AgentReachability.Unknown.Answered(T0);
        var first = answered.Unanswered(T0.AddSeconds(10), "refused");
        var second = first.Unanswered(T0.AddSeconds(20), "timeout");
        var back = second.Answered(T0.AddSeconds(40));

        Assert.Equal(new AgentReachability(false, T0, T0.AddSeconds(10), "refused"), first);
        Assert.Equal(new AgentReachability(false, T0, T0.AddSeconds(10), "timeout"), second);
        Assert.False(second.SilentFor(TimeSpan.FromSeconds(30), T0.AddSeconds(39)));
        Assert.True(second.SilentFor(TimeSpan.FromSeconds(30), T0.AddSeconds(40)));
        Assert.Equal(new AgentReachability(true, T0.AddSeconds(40), null, ""), back);
        Assert.False(back.SilentFor(TimeSpan.Zero, T0.AddSeconds(50)));
    }
}
