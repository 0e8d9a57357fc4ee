using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ControlPlane.IntegrationTests;

/// <summary>A normal start does not pass on Orleans' watchdog race: a "stall" longer than the process has lived.</summary>
public sealed class StartWarningsTests
{
    [Fact]
    public async Task The_watchdog_reports_no_stall_older_than_the_process()
    {
        var host = new HostFixture();
        await host.InitializeAsync();
        try
        {
            var lived = DateTime.Now - Process.GetCurrentProcess().StartTime;
            var impossible = host.Logs.Entries
                .Where(e => e.Category == "Orleans.Runtime.Watchdog" && e.Level >= LogLevel.Warning)
                .Where(e => e.Values.Values.OfType<TimeSpan>().Any(t => t > lived))
                .Select(e => e.Message).ToList();
            Assert.True(impossible.Count == 0, string.Join('\n', impossible));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
