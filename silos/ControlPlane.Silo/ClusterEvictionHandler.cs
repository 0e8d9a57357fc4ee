using System.Runtime.InteropServices;

namespace ControlPlane.Silo;

/// <summary>
/// What the silo does when Orleans meets a fatal error, above all when the cluster has declared it
/// dead (after a pause, a partition or a missed join): it must stop at once, since its grains are
/// already active elsewhere. Orleans' own handler ends the process with <c>Environment.FailFast</c>,
/// an abort (SIGABRT, a core dump, every thread's stack in the log). This one logs the reason in one
/// line and exits with <see cref="ExitCode"/>, which the supervisor (deploy/local/cluster, systemd's
/// <c>Restart=on-failure</c>) answers by starting the silo again. Stopping immediately is what a
/// <c>kill -9</c> does too, and every durable path is built to survive that.
/// </summary>
public sealed partial class ClusterEvictionHandler(ILogger<ClusterEvictionHandler> logger) : IFatalErrorHandler
{
    /// <summary>EX_SOFTWARE of sysexits.h: the silo ended itself on a fatal runtime error.</summary>
    public const int ExitCode = 70;

    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(500);

    public bool IsUnexpected(Exception exception) => exception is not ThreadAbortException;

    public void OnFatalException(object? sender, string? context, Exception? exception)
    {
        var reason = Text(context ?? exception?.Message ?? "no reason given");
        LogEnding(logger, sender?.GetType().Name ?? "Orleans", reason, ExitCode);
        Console.Error.WriteLine($"ControlPlane silo: ending with status {ExitCode}: {reason}");
        // The console logger writes on its own thread: give it a moment before the process goes.
        Thread.Sleep(FlushDelay);
        if (OperatingSystem.IsLinux()) ExitNow(ExitCode);
        Environment.Exit(ExitCode);
    }

    /// <summary>The membership message lists every silo of the table: its first sentence is the reason.</summary>
    private static string Text(string message)
    {
        var end = message.IndexOf(" Membership:", StringComparison.Ordinal);
        var reason = end > 0 ? message[..end] : message;
        return reason.Length <= 300 ? reason : reason[..300] + "…";
    }

    // _exit(2): ends the process without running .NET's exit handlers (the host's graceful stop would
    // wait on a cluster that has already evicted this silo), and without the abort of FailFast.
    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal error from {Sender}: {Reason}; the silo ends now with status {ExitCode} and its supervisor starts it again")]
    private static partial void LogEnding(ILogger logger, string sender, string reason, int exitCode);
}
