using ControlPlane.Faults.Reporting;

namespace ControlPlane.Faults.Tests;

public sealed class ReportWriterTests
{
    private static RestartMeasure Restart(double? seconds) => new(2, DateTimeOffset.UnixEpoch, "found down", seconds);

    [Fact]
    public void The_restart_column_gives_seconds_and_says_never_without_a_unit()
    {
        Assert.Equal("-", ReportWriter.RestartColumn([]));
        Assert.Equal("never", ReportWriter.RestartColumn([Restart(null)]));
        Assert.Equal("6.1/7.6 s", ReportWriter.RestartColumn([Restart(6.12), Restart(7.58)]));
        Assert.Equal("6.1/never s", ReportWriter.RestartColumn([Restart(6.12), Restart(null)]));
    }
}
