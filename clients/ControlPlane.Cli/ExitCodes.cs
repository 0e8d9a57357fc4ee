namespace ControlPlane.Cli;

/// <summary>cpctl's documented exit codes (docs/cli.md#exit-codes).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Timeout = 4;
    public const int OperationFailed = 5;

    /// <summary>PERMISSION_DENIED: the caller is known, and a rule or policy refuses the call.</summary>
    public const int Denied = 6;

    /// <summary>UNAUTHENTICATED: no credentials, or credentials the control plane does not accept.</summary>
    public const int Unauthenticated = 7;

    /// <summary>The control plane cannot be reached: connection refused, no route, TLS handshake failed.</summary>
    public const int Unreachable = 8;

    /// <summary>Interrupted (Ctrl-C), as shells count SIGINT: 128 + 2.</summary>
    public const int Interrupted = 130;
}
