using System.Diagnostics;

namespace ControlPlane.Cli.Tests.Process;

/// <summary>A terminal for a test: a tmux session on a server of its own, to type into and read the screen of.</summary>
public sealed class Tmux : IAsyncDisposable
{
    private readonly string _socket = "cpctl-test-" + Guid.NewGuid().ToString("N")[..12];
    private const string Session = "t";

    /// <summary>Starts <paramref name="shellCommand"/> (run by sh) in an 160×40 terminal.</summary>
    public static async Task<Tmux> StartAsync(string shellCommand)
    {
        var tmux = new Tmux();
        var started = await tmux.RunAsync("new-session", "-d", "-s", Session, "-x", "160", "-y", "40", shellCommand);
        Assert.True(started.Exit == 0, started.ToString());
        return tmux;
    }

    public async Task<string> ScreenAsync() => (await RunAsync("capture-pane", "-p", "-t", Session)).Out;

    public Task SendKeysAsync(params string[] keys) => RunAsync(["send-keys", "-t", Session, .. keys]);

    /// <summary>Reads the screen until <paramref name="holds"/>; fails with the last screen after <paramref name="within"/>.</summary>
    public async Task<string> AwaitScreenAsync(Func<string, bool> holds, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var screen = "";
        while (clock.Elapsed < within)
        {
            screen = await ScreenAsync();
            if (holds(screen)) return screen;
            await Task.Delay(100);
        }
        Assert.Fail($"the terminal never showed what was expected within {within.TotalSeconds} s; last screen:\n{screen}");
        return screen;
    }

    private Task<ProcessResult> RunAsync(params string[] args) =>
        CpctlProcess.RunFileAsync("tmux", ["-L", _socket, .. args], new Dictionary<string, string?> { ["TMUX"] = null }, timeout: TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync() => await RunAsync("kill-server");
}
