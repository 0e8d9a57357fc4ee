using System.Diagnostics;
using Spectre.Console;

namespace ControlPlane.Cli.Progress;

/// <summary>
/// A spinner with a status and the time spent, on stderr, only when stderr is a terminal; nothing otherwise,
/// so piped or redirected output never carries escape codes. Spectre.Console renders it.
/// </summary>
public static class StatusLine
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs <paramref name="work"/>, which sets the status text through the action it is given.</summary>
    public static async Task<T> RunAsync<T>(bool terminal, TextWriter stderr, string initial, Func<Action<string>, Task<T>> work)
    {
        if (!terminal) return await work(_ => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stderr), Interactive = InteractionSupport.Yes, Ansi = AnsiSupport.Detect,
        });
        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(initial), async status =>
        {
            var text = initial;
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource();
            var ticker = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    status.Status(Markup.Escape($"{text} ({Durations.Format(clock.Elapsed)})"));
                    status.Refresh();
                    try
                    {
                        await Task.Delay(Tick, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });
            try
            {
                return await work(t => text = t);
            }
            finally
            {
                await stop.CancelAsync();
                await ticker;
            }
        });
    }
}
