using Microsoft.Extensions.Logging;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The embedded silo's development identity is a notice on a normal start (loopback only) and a warning when a port
/// listens beyond loopback, where anyone on the network would hold every role.
/// </summary>
public sealed class DevelopmentIdentityNoticeTests
{
    private const string Category = "ControlPlane.Gateway.Security.AccessBootstrap";

    [Fact]
    public async Task A_loopback_start_notes_the_development_identity_without_a_warning()
    {
        var notices = await StartAndReadAsync(grpcListen: null);
        var notice = Assert.Single(notices);
        Assert.Equal(LogLevel.Information, notice.Level);
        Assert.Contains("loopback only", notice.Message);
    }

    [Fact]
    public async Task A_start_beyond_loopback_warns_that_the_development_identity_is_exposed()
    {
        var notices = await StartAndReadAsync(grpcListen: $"0.0.0.0:{Ports.Free()}");
        var warning = Assert.Single(notices);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("0.0.0.0", warning.Message);
        Assert.Contains("EXPOSED", warning.Message);
    }

    private static async Task<List<CapturedLogs.Entry>> StartAndReadAsync(string? grpcListen)
    {
        var host = new ListeningHost(grpcListen);
        await host.InitializeAsync();
        try
        {
            return host.Logs.Entries.Where(e => e.Category == Category && e.Message.Contains("'development'")).ToList();
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private sealed class ListeningHost(string? grpcListen) : HostFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            grpcListen is null
                ? [new($"Logging:LogLevel:{Category}", "Information")]
                : [new($"Logging:LogLevel:{Category}", "Information"), new("ControlPlane:Silo:GrpcListen", grpcListen)];
    }
}
