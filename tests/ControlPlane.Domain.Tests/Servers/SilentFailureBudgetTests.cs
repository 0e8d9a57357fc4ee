using ControlPlane.Domain.Servers;

namespace ControlPlane.Domain.Tests.Servers;

/// <summary>How many servers of a zone may be failed because their agents are silent, without a cluster.</summary>
public sealed class SilentFailureBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    private static SilentFailureBudget Budget(int maxServers = 20) => new(maxServers, 0.05, TimeSpan.FromMinutes(10), Settle);

    [Theory]
    [InlineData(2500, 20)]
    [InlineData(200, 10)]
    [InlineData(4, 1)]
    [InlineData(1, 1)]
    public void The_limit_is_a_share_of_the_zone_at_least_one_at_most_the_cap(int zoneServers, int limit) =>
        Assert.Equal(limit, Budget().LimitFor(zoneServers));

    [Fact]
    public void A_single_silent_server_is_failed_but_a_correlated_silence_is_not()
    {
        var budget = Budget();
        Assert.True(budget.TryGrant(1, 2500, T0));
        Assert.False(budget.Withholding);
        Assert.False(budget.TryGrant(352, 2500, T0));
        Assert.True(budget.Withholding);
        Assert.Equal(1, budget.GrantedWithin(T0.AddSeconds(1)));
    }

    [Fact]
    public void The_stragglers_of_an_outage_are_not_failed_as_it_ends_but_a_server_still_silent_after_the_settle_period_is()
    {
        var budget = Budget();
        Assert.False(budget.TryGrant(25, 2500, T0));
        Assert.False(budget.Observe(21, 2500, T0.AddSeconds(5)));
        // The fleet answers again; three agents behind an open breaker are still silent.
        Assert.True(budget.Observe(3, 2500, T0.AddSeconds(10)));
        Assert.False(budget.Withholding);
        Assert.False(budget.TryGrant(3, 2500, T0.AddSeconds(11)));
        Assert.False(budget.TryGrant(1, 2500, T0.AddSeconds(39)));
        Assert.True(budget.TryGrant(1, 2500, T0.AddSeconds(40)));
    }

    [Fact]
    public void Failures_by_silence_within_the_window_use_up_the_limit_and_it_comes_back_after()
    {
        var budget = Budget(maxServers: 3);
        Assert.True(budget.TryGrant(1, 2500, T0));
        Assert.True(budget.TryGrant(1, 2500, T0.AddMinutes(1)));
        Assert.True(budget.TryGrant(1, 2500, T0.AddMinutes(2)));
        Assert.False(budget.TryGrant(1, 2500, T0.AddMinutes(3)));
        Assert.True(budget.Observe(0, 2500, T0.AddMinutes(10)));
        Assert.True(budget.TryGrant(1, 2500, T0.AddMinutes(10).Add(Settle)));
    }
}
