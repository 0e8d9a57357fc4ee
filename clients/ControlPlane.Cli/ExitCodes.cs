namespace ControlPlane.Cli;

/// <summary>cpctl's documented exit codes.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Timeout = 4;
    public const int OperationFailed = 5;
    /// <summary>UNAUTHENTICATED or PERMISSION_DENIED: no or bad credentials, or not allowed.</summary>
    public const int Denied = 6;
}
