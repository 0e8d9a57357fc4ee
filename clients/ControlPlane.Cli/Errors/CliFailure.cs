namespace ControlPlane.Cli.Errors;

/// <summary>A failure cpctl found itself (a name that matches nothing): reported like the control plane's errors.</summary>
public sealed class CliFailure(CliError error) : Exception(error.Message)
{
    public CliError Error { get; } = error;

    public static CliFailure NotFound(string reason, string message, string? hint) =>
        new(new CliError("NOT_FOUND", reason, message, new Dictionary<string, string>(), [], ExitCodes.NotFound, hint));
}
