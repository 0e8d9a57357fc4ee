namespace ControlPlane.Cli.Errors;

/// <summary>A failure cpctl found itself (a name that matches nothing): reported like the control plane's errors.</summary>
public sealed class CliFailure(CliError error) : Exception(error.Message)
{
    public CliError Error { get; } = error;

    public static CliFailure NotFound(string reason, string message, string? hint) =>
        new(new CliError("NOT_FOUND", reason, message, new Dictionary<string, string>(), [], ExitCodes.NotFound, hint));

    /// <summary>A usage error found once the command runs (exit 2), e.g. an option's value that does not parse.</summary>
    public static CliFailure Usage(string reason, string message, string? hint = null) => new(CliError.Usage(reason, message, hint));

    /// <summary>Waited as long as the command was told to, and the thing is not there yet (exit 4).</summary>
    public static CliFailure TimedOut(string message, string? hint) =>
        new(new CliError("DEADLINE_EXCEEDED", WaitTimedOut, message, new Dictionary<string, string>(), [], ExitCodes.Timeout, hint));

    /// <summary>The control plane answered, but what was asked cannot be given (exit 1).</summary>
    public static CliFailure Precondition(string reason, string message, string? hint = null) =>
        new(new CliError("FAILED_PRECONDITION", reason, message, new Dictionary<string, string>(), [], ExitCodes.Error, hint));

    public const string WaitTimedOut = "WAIT_TIMED_OUT";
    public const string TraceViewerNotConfigured = "TRACE_VIEWER_NOT_CONFIGURED";
    public const string NoTraceId = "NO_TRACE_ID";
}
