namespace ControlPlane.Cli.Tests;

public sealed class DurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h", 3600)]
    [InlineData("1.5s", 1.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("1d", 86400)]
    [InlineData("00:02:00", 120)]
    [InlineData("01:00:00", 3600)]
    public void People_s_durations_parse(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("")]
    [InlineData("2 minutes")]
    [InlineData("5")]
    [InlineData("1h30")]
    [InlineData("-1m")]
    public void Anything_else_is_refused(string text) => Assert.False(Durations.TryParse(text, out _));
}
