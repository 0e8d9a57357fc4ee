using System.Diagnostics;
using System.Text.RegularExpressions;

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

    /// <summary>
    /// Runs <paramref name="shellCommand"/> (a cpctl command that follows an operation, then <c>echo EXIT=$?</c>), presses
    /// Ctrl-C once <paramref name="progress"/> shows, and checks that cpctl exits 130 naming the operation and the command that
    /// follows it again. Returns the operation's id (the progress' first group).
    /// </summary>
    public static async Task<string> InterruptAsync(string shellCommand, Regex progress)
    {
        await using var terminal = await StartAsync(shellCommand);
        var operationId = progress.Match(await terminal.AwaitScreenAsync(s => progress.IsMatch(s), TimeSpan.FromSeconds(30))).Groups[1].Value;
        await terminal.SendKeysAsync("C-c");
        var screen = await terminal.AwaitScreenAsync(s => s.Contains("EXIT="), TimeSpan.FromSeconds(30));
        Assert.Contains("EXIT=130", screen);
        Assert.Contains($"interrupted: operation {operationId} goes on", screen);
        Assert.Contains($"cpctl operations wait {operationId}", screen);
        return operationId;
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
